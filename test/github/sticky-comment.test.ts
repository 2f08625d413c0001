import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommentTooLong, MAX_COMMENT_CHARS, upsertStickyComment, type GithubClient } from '../../lib/adapters/github';
import { addPullRequest, INSTALLATION, seen, startHarness, type Harness } from './harness';

const MARKER = '<!-- fluxline:diff:stage:flux-system/apps -->';
const target = { owner: 'acme', repo: 'fleet', number: 12, marker: MARKER };

describe('upsertStickyComment', () => {
  let h: Harness;
  let client: GithubClient;
  beforeEach(async () => {
    h = await startHarness();
    addPullRequest(h.github, 12);
    client = h.app.forInstallation(INSTALLATION);
  });
  afterEach(async () => {
    await h.github.stop();
  });

  const commentsOnPr = () => h.github.comments.filter((c) => c.repository === 'acme/fleet' && c.number === 12);

  it('creates the comment, then edits the same comment in place', async () => {
    // Act
    const first = await upsertStickyComment(client, { ...target, body: `${MARKER}\nfirst report` });
    const second = await upsertStickyComment(client, { ...target, body: `${MARKER}\nsecond report` });

    // Assess
    expect(first).toMatchObject({ created: true, url: `https://github.com/acme/fleet/pull/12#issuecomment-${first.id}` });
    expect(second).toEqual({ created: false, id: first.id, url: first.url });
    expect(commentsOnPr()).toEqual([expect.objectContaining({ id: first.id, body: `${MARKER}\nsecond report`, user: { login: 'fluxline[bot]', type: 'Bot' } })]);
    expect(seen(h.github, /comments/)).toEqual([
      'GET /repos/acme/fleet/issues/12/comments (installation)',
      'POST /repos/acme/fleet/issues/12/comments (installation)',
      'GET /repos/acme/fleet/issues/12/comments (installation)',
      `PATCH /repos/acme/fleet/issues/comments/${first.id} (installation)`,
    ]);
  });

  it('keeps one comment per marker', async () => {
    // Act
    await upsertStickyComment(client, { ...target, body: 'apps on stage' });
    await upsertStickyComment(client, { ...target, marker: '<!-- fluxline:diff:prod:flux-system/apps -->', body: 'apps on prod' });
    await upsertStickyComment(client, { ...target, body: 'apps on stage, again' });

    // Assess
    expect(commentsOnPr().map((c) => c.body)).toEqual([`${MARKER}\napps on stage, again`, '<!-- fluxline:diff:prod:flux-system/apps -->\napps on prod']);
  });

  it('does not hijack a person’s comment that quotes the marker', async () => {
    // Prepare
    h.github.comments.push({ id: 1, repository: 'acme/fleet', number: 12, body: `Why does the bot write ${MARKER}?`, user: { login: 'alice', type: 'User' } });

    // Act
    const result = await upsertStickyComment(client, { ...target, body: 'report' });

    // Assess
    expect(result.created).toBe(true);
    expect(commentsOnPr().find((c) => c.id === 1)?.body).toBe(`Why does the bot write ${MARKER}?`);
    expect(commentsOnPr()).toHaveLength(2);
  });

  it('finds its comment past the first page of 100 comments', async () => {
    // Prepare
    const chatter = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, repository: 'acme/fleet', number: 12, body: `comment ${i}`, user: { login: 'bob', type: 'User' } }));
    h.github.comments.push(...chatter);
    const first = await upsertStickyComment(client, { ...target, body: 'old report' });

    // Act
    const second = await upsertStickyComment(client, { ...target, body: 'new report' });

    // Assess
    expect(second).toMatchObject({ created: false, id: first.id });
    expect(commentsOnPr().filter((c) => c.body.includes(MARKER))).toEqual([expect.objectContaining({ body: `${MARKER}\nnew report` })]);
    const pages = h.github.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments')).map((r) => new URLSearchParams(r.query).get('page') ?? '1');
    expect(pages).toEqual(['1', '2', '1', '2']);
  });

  it('puts the marker in the body exactly once', async () => {
    // Act
    await upsertStickyComment(client, { ...target, body: 'no marker here' });
    await upsertStickyComment(client, { ...target, body: `${MARKER}\ntwice\n${MARKER}` });

    // Assess
    const [comment] = commentsOnPr();
    expect(comment?.body.split(MARKER)).toHaveLength(2);
    expect(comment?.body).toContain('twice');
  });

  it('throws CommentTooLong rather than sending a body over 65,536 characters', async () => {
    // Prepare
    const body = `${MARKER}\n${'x'.repeat(MAX_COMMENT_CHARS)}`;

    // Act
    const failure = upsertStickyComment(client, { ...target, body });

    // Assess
    await expect(failure).rejects.toThrow(CommentTooLong);
    await expect(failure).rejects.toMatchObject({ name: 'CommentTooLong', length: body.length, maxLength: 65_536 });
    expect(seen(h.github, /comments/)).toEqual([]);
  });

  it('posts a body of exactly 65,536 characters', async () => {
    // Prepare
    const body = `${MARKER}\n`.padEnd(MAX_COMMENT_CHARS, 'x');

    // Act
    const result = await upsertStickyComment(client, { ...target, body });

    // Assess
    expect(result.created).toBe(true);
    expect(commentsOnPr()[0]?.body).toHaveLength(65_536);
  });

  it('refuses a marker that is not a hidden HTML comment', async () => {
    await expect(upsertStickyComment(client, { ...target, marker: '', body: 'x' })).rejects.toMatchObject({ name: 'GithubError' });
    await expect(upsertStickyComment(client, { ...target, marker: 'fluxline', body: 'x' })).rejects.toMatchObject({ name: 'GithubError' });
  });

  it('throws PullRequestNotFound on a pull request that does not exist', async () => {
    await expect(upsertStickyComment(client, { ...target, number: 404, body: 'x' })).rejects.toMatchObject({ name: 'PullRequestNotFound' });
  });
});
