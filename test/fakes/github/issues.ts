import type { PullsRoom } from './pulls';
import { BOT_LOGIN, lower, notFound, paginate, userObject, validationFailed, type GithubRooms, type Json } from './shared';

/**
 * Issue comments on pull requests (the sticky report): list (paginated, oldest first), create and edit,
 * with GitHub's 65,536-character limit and the `performed_via_github_app` of comments the App made.
 */

export interface FakeComment {
  id: number;
  repository: string;
  number: number;
  body: string;
  user: { login: string; type: string };
}

/** GitHub rejects longer comment bodies, counting characters. */
const MAX_COMMENT = 65_536;

const bodyProblem = (body: unknown) => {
  if (typeof body !== 'string') return validationFailed('IssueComment', 'body', 'missing_field');
  // GitHub counts characters, not UTF-16 units.
  if (Array.from(body).length > MAX_COMMENT) return validationFailed('IssueComment', 'body', 'custom', `body is too long (maximum is ${MAX_COMMENT} characters)`);
  return undefined;
};

export function mountIssueComments(rooms: GithubRooms, pulls: PullsRoom, app: Json): { comments: FakeComment[] } {
  const comments: FakeComment[] = [];
  const commentTimes = new Map<number, { created: string; updated: string }>();

  function commentObject(comment: FakeComment): Json {
    const times = commentTimes.get(comment.id) ?? { created: '2024-01-01T00:00:00Z', updated: '2024-01-01T00:00:00Z' };
    const byApp = comment.user.type === 'Bot' && comment.user.login === BOT_LOGIN;
    return {
      url: `${rooms.url()}/repos/${comment.repository}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${comment.repository}/pull/${comment.number}#issuecomment-${comment.id}`,
      issue_url: `${rooms.url()}/repos/${comment.repository}/issues/${comment.number}`,
      id: comment.id,
      node_id: Buffer.from(`IC_${comment.id}`).toString('base64'),
      user: userObject(comment.user.login, comment.user.type),
      created_at: times.created,
      updated_at: times.updated,
      author_association: byApp ? 'NONE' : 'MEMBER',
      body: comment.body,
      performed_via_github_app: byApp ? app : null,
    };
  }

  rooms.repo('GET', '/issues/:number(\\d+)/comments', ({ repository, params, url }) => {
    const number = Number(params.number);
    if (!pulls.pullOf(repository, number)) return notFound();
    const onIssue = comments.filter((c) => lower(c.repository) === lower(repository) && c.number === number).sort((a, b) => a.id - b.id);
    const { page, headers } = paginate(onIssue, url);
    return { status: 200, body: page.map(commentObject), headers };
  });

  rooms.repo('POST', '/issues/:number(\\d+)/comments', ({ repository, params, body }) => {
    const number = Number(params.number);
    if (!pulls.pullOf(repository, number)) return notFound();
    const invalid = bodyProblem(body.body);
    if (invalid) return invalid;
    const comment: FakeComment = { id: Math.max(rooms.ids.next, ...comments.map((c) => c.id + 1)), repository, number, body: String(body.body), user: { login: BOT_LOGIN, type: 'Bot' } };
    rooms.ids.next = comment.id + 1;
    const now = new Date().toISOString();
    commentTimes.set(comment.id, { created: now, updated: now });
    comments.push(comment);
    return { status: 201, body: commentObject(comment) };
  });

  rooms.repo('PATCH', '/issues/comments/:id(\\d+)', ({ repository, params, body }) => {
    const comment = comments.find((c) => c.id === Number(params.id) && lower(c.repository) === lower(repository));
    if (!comment) return notFound();
    const invalid = bodyProblem(body.body);
    if (invalid) return invalid;
    comment.body = String(body.body);
    const created = commentTimes.get(comment.id)?.created ?? '2024-01-01T00:00:00Z';
    commentTimes.set(comment.id, { created, updated: new Date().toISOString() });
    return { status: 200, body: commentObject(comment) };
  });

  return { comments };
}
