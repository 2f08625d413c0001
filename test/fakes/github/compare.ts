import { lower, notFound, sha1, type GithubRooms } from './shared';

/**
 * GET /repos/{owner}/{repo}/compare/{base}...{head}: how far a PR's head is behind its base branch. The test
 * says what GitHub would find (`setCompare`); an unset comparison is a head 1 commit ahead and 0 behind a base
 * branch whose tip is a SHA derived from its name, so tests that do not care still get GitHub's shape.
 */

export interface FakeComparison {
  behindBy: number;
  aheadBy?: number;
  /** The tip of the base branch, as `base_commit.sha`. */
  baseSha?: string;
}

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
        files: [],
      },
    };
  });

  return {
    setCompare: (repository, base, head, comparison) => {
      comparisons.set(`${lower(repository)}:${base}...${head}`, comparison);
    },
  };
}
