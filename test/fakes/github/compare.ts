import { lower, notFound, sha1, type GithubRooms } from './shared';

/**
 * GET /repos/{owner}/{repo}/compare/{base}...{head}: how far a PR's head is behind its base branch. The test
 * says what GitHub would find (`setCompare`); an unset comparison is a head 1 commit ahead and 0 behind a base
 * branch whose tip is a SHA derived from its name, so tests that do not care still get GitHub's shape. The
 * files (merge-base → head) are the test's too, cut at GitHub's 300.
 */

export interface FakeComparison {
  behindBy: number;
  aheadBy?: number;
  /** The tip of the base branch, as `base_commit.sha`. */
  baseSha?: string;
  /** The files merge-base → head, as GitHub lists them (it lists at most 300). */
  files?: FakeComparedFile[];
}

export interface FakeComparedFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previous_filename?: string;
}

/** GitHub's cap on the files of one comparison. */
const MAX_FILES = 300;

export function mountCompare(rooms: GithubRooms): { setCompare: (repository: string, base: string, head: string, comparison: FakeComparison) => void } {
  const comparisons = new Map<string, FakeComparison>();

  rooms.repo('GET', '/compare/:basehead+', ({ repository, params }) => {
    const basehead = decodeURIComponent(params.basehead ?? '');
    const [base, head] = basehead.split('...');
    if (!base || !head) return notFound();
    const found = comparisons.get(`${lower(repository)}:${base}...${head}`) ?? { behindBy: 0 };
    const aheadBy = found.aheadBy ?? 1;
    const baseSha = found.baseSha ?? sha1(`${lower(repository)}:${base}`);
    const status = aheadBy === 0 && found.behindBy === 0 ? 'identical' : aheadBy === 0 ? 'behind' : found.behindBy === 0 ? 'ahead' : 'diverged';
    const commit = (sha: string) => ({ sha, commit: { message: 'commit' }, parents: [] });
    return {
      status: 200,
      body: {
        url: `${rooms.url()}/repos/${repository}/compare/${basehead}`,
        html_url: `https://github.com/${repository}/compare/${basehead}`,
        base_commit: commit(baseSha),
        merge_base_commit: commit(sha1(`${baseSha}:merge-base`)),
        status,
        ahead_by: aheadBy,
        behind_by: found.behindBy,
        total_commits: aheadBy,
        commits: [],
        files: (found.files ?? []).slice(0, MAX_FILES).map((f) => ({ sha: sha1(`${f.filename}:${head}`), additions: 1, deletions: 0, changes: 1, ...f })),
      },
    };
  });

  return {
    setCompare: (repository, base, head, comparison) => {
      comparisons.set(`${lower(repository)}:${base}...${head}`, comparison);
    },
  };
}
