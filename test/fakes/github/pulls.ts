import { BOT_LOGIN, error, lower, notFound, paginate, sha1, userObject, validationFailed, type GithubRooms, type Json } from './shared';

/**
 * Pull requests as the checks read them: GET a pull request, its changed files (paginated, at most
 * 3,000), and POST a review (GitHub's 422s: a head that moved, a missing body, a refusal set by the test).
 * The pull requests are registered by the test; the ones promote opens are in contents.ts.
 */

export interface FakeFile {
  filename: string;
  status?: string;
  previous_filename?: string;
}
export interface FakeReview {
  id: number;
  repository: string;
  number: number;
  event: string;
  body: string;
  commit_id: string;
}
export interface StoredPullRequest {
  payload: Json;
  repository: string;
  files: FakeFile[];
}

export interface PullsRoom {
  reviews: FakeReview[];
  pullOf: (repository: string, number: number) => StoredPullRequest | undefined;
  /** Registers (or replaces, keyed by repository and payload.number) a pull request and its changed files. */
  addPullRequest: (pr: { payload: Json; repository: string; files: string[] | FakeFile[] }) => void;
  /** A copy of the stored pull_request object, to re-add it changed (a push moves head.sha). */
  pullRequest: (repository: string, number: number) => Json | undefined;
  /** Until called with undefined, reviews answer 422 with this message in `errors`. */
  rejectReviews: (message: string | undefined) => void;
}

/** GitHub lists at most 3,000 files of a pull request. */
const MAX_FILES = 3_000;
const REVIEW_STATES: Record<string, string> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED', PENDING: 'PENDING' };

const headShaOf = (pr: StoredPullRequest) => String((pr.payload.head as Json | undefined)?.sha);

export function mountPulls(rooms: GithubRooms): PullsRoom {
  const pulls = new Map<string, StoredPullRequest>();
  const reviews: FakeReview[] = [];
  let reviewRefusal: string | undefined;
  const pullOf = (repository: string, number: number) => pulls.get(`${lower(repository)}#${number}`);

  function fileObject(pr: StoredPullRequest, file: FakeFile): Json {
    const status = file.status ?? (file.previous_filename ? 'renamed' : 'modified');
    const head = headShaOf(pr);
    const [additions, deletions] = status === 'added' ? [3, 0] : status === 'removed' ? [0, 3] : status === 'renamed' ? [0, 0] : [2, 1];
    const path = encodeURI(file.filename);
    return {
      sha: sha1(`${head}:${file.filename}`),
      filename: file.filename,
      status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `https://github.com/${pr.repository}/blob/${head}/${path}`,
      raw_url: `https://github.com/${pr.repository}/raw/${head}/${path}`,
      contents_url: `${rooms.url()}/repos/${pr.repository}/contents/${path}?ref=${head}`,
      ...(additions + deletions > 0 ? { patch: `@@ -1,${deletions} +1,${additions} @@\n${'-old\n'.repeat(deletions)}${'+new\n'.repeat(additions)}`.trimEnd() } : {}),
      ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
    };
  }

  rooms.repo('GET', '/pulls/:number(\\d+)', ({ repository, params }) => {
    const pr = pullOf(repository, Number(params.number));
    return pr ? { status: 200, body: { ...pr.payload, changed_files: pr.files.length } } : notFound();
  });

  rooms.repo('GET', '/pulls/:number(\\d+)/files', ({ repository, params, url }) => {
    const pr = pullOf(repository, Number(params.number));
    if (!pr) return notFound();
    const { page, headers } = paginate(pr.files.slice(0, MAX_FILES), url);
    return { status: 200, body: page.map((file) => fileObject(pr, file)), headers };
  });

  const reviewObject = (review: FakeReview, repository: string) => ({
    id: review.id,
    node_id: Buffer.from(`PRR_${review.id}`).toString('base64'),
    user: userObject(BOT_LOGIN, 'Bot'),
    body: review.body,
    state: REVIEW_STATES[review.event],
    html_url: `https://github.com/${repository}/pull/${review.number}#pullrequestreview-${review.id}`,
    pull_request_url: `${rooms.url()}/repos/${repository}/pulls/${review.number}`,
    author_association: 'NONE',
    submitted_at: new Date().toISOString(),
    commit_id: review.commit_id,
  });

  // Reviews of a PR, oldest first, paginated (GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews).
  rooms.repo('GET', '/pulls/:number(\\d+)/reviews', ({ repository, params, url }) => {
    const number = Number(params.number);
    if (!pullOf(repository, number)) return notFound();
    const { page, headers } = paginate(reviews.filter((r) => lower(r.repository) === lower(repository) && r.number === number), url);
    return { status: 200, body: page.map((review) => reviewObject(review, repository)), headers };
  });

  rooms.repo('POST', '/pulls/:number(\\d+)/reviews', ({ repository, params, body }) => {
    const number = Number(params.number);
    const pr = pullOf(repository, number);
    if (!pr) return notFound();
    const event = typeof body.event === 'string' ? body.event : 'PENDING';
    const text = typeof body.body === 'string' ? body.body : '';
    const commitId = typeof body.commit_id === 'string' ? body.commit_id : headShaOf(pr);
    if (!['APPROVE', 'REQUEST_CHANGES', 'COMMENT', 'PENDING'].includes(event)) return validationFailed('PullRequestReview', 'event', 'invalid');
    if (reviewRefusal !== undefined) return error(422, 'Unprocessable Entity', { errors: [reviewRefusal] });
    if (commitId !== headShaOf(pr)) return error(422, 'Unprocessable Entity', { errors: [`Commit ${commitId} is not the head of pull request #${number}`] });
    if (event !== 'APPROVE' && event !== 'PENDING' && !text) return error(422, 'Unprocessable Entity', { errors: [`Review body is required when the event is ${event}`] });
    const review: FakeReview = { id: rooms.ids.next++, repository, number, event, body: text, commit_id: commitId };
    reviews.push(review);
    return {
      status: 200,
      body: {
        id: review.id,
        node_id: Buffer.from(`PRR_${review.id}`).toString('base64'),
        user: userObject(BOT_LOGIN, 'Bot'),
        body: text,
        state: REVIEW_STATES[event],
        html_url: `https://github.com/${repository}/pull/${number}#pullrequestreview-${review.id}`,
        pull_request_url: `${rooms.url()}/repos/${repository}/pulls/${number}`,
        author_association: 'NONE',
        submitted_at: new Date().toISOString(),
        commit_id: commitId,
      },
    };
  });

  return {
    reviews,
    pullOf,
    addPullRequest: ({ payload, repository, files }) => {
      const number = Number(payload.number);
      if (!Number.isInteger(number)) throw new Error('addPullRequest: payload.number is not an integer');
      const normalized = files.map((file) => (typeof file === 'string' ? { filename: file } : file));
      pulls.set(`${lower(repository)}#${number}`, { payload: structuredClone(payload), repository, files: normalized });
    },
    pullRequest: (repository, number) => {
      const stored = pullOf(repository, number);
      return stored ? structuredClone(stored.payload) : undefined;
    },
    rejectReviews: (message) => {
      reviewRefusal = message;
    },
  };
}
