import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { pullRequestInfoFromPayload } from '../../lib/adapters/github';
import { MalformedRequest } from '../../lib/core/http';
import { pullRequestPayload } from '../helpers/github-payloads';

type Json = Record<string, unknown>;

/** Every pull_request object in GitHub's own example payloads (pull_request, reviews, review comments, threads). */
const realPullRequests = (examples as { name: string; examples: Json[] }[]).flatMap((definition) =>
  definition.examples
    .filter((example) => typeof example.pull_request === 'object' && example.pull_request !== null && 'head' in example.pull_request)
    .map((example) => [`${definition.name}.${String(example.action)} #${definition.examples.indexOf(example)}`, example.pull_request as Json] as const),
);

const pullRequestOf = (action: string, options: Parameters<typeof pullRequestPayload>[1] = {}) => pullRequestPayload(action, options).pull_request as Json;

describe('pullRequestInfoFromPayload', () => {
  it('reads every pull request in GitHub’s example payloads', () => {
    expect(realPullRequests.length).toBeGreaterThan(30);
  });

  it.each(realPullRequests)('reads the pull request of %s', (_name, pullRequest) => {
    // Act
    const info = pullRequestInfoFromPayload(pullRequest);

    // Assess
    const base = pullRequest.base as { repo: { full_name: string } };
    expect(info.repository).toBe(base.repo.full_name);
    expect(info.headSha).toMatch(/^[0-9a-f]{40}$/);
    expect(info.fromFork).toBe(false);
    expect(info.merged).toBe(Boolean(pullRequest.merged_at));
  });

  it('maps the fields of an opened pull request', () => {
    // Prepare
    const pullRequest = pullRequestOf('opened', { number: 42, labels: ['gitops', 'skip-diff'], title: 'Bump podinfo', updatedAt: '2026-12-07T10:00:00Z' });

    // Act
    const info = pullRequestInfoFromPayload(pullRequest);

    // Assess
    expect(info).toEqual({
      repository: 'acme/fleet',
      number: 42,
      title: 'Bump podinfo',
      url: 'https://github.com/acme/fleet/pull/42',
      author: 'Codertocat',
      baseRef: 'master',
      headRef: 'changes',
      headRepository: 'acme/fleet',
      headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      fromFork: false,
      draft: false,
      state: 'open',
      merged: false,
      labels: ['gitops', 'skip-diff'],
      updatedAt: '2026-12-07T10:00:00Z',
      // The example was delivered before GitHub computed the test merge.
      mergeable: null,
      privateRepository: false,
    });
  });

  it('marks a pull request from a fork', () => {
    // Act
    const info = pullRequestInfoFromPayload(pullRequestOf('opened', { forkOwner: 'contributor' }));

    // Assess
    expect(info).toMatchObject({ repository: 'acme/fleet', headRepository: 'contributor/fleet', fromFork: true });
  });

  it('treats a head repository that differs only in case as the same repository', () => {
    // Prepare
    const pullRequest = pullRequestOf('opened');
    ((pullRequest.head as Json).repo as Json).full_name = 'ACME/Fleet';

    // Act & Assess
    expect(pullRequestInfoFromPayload(pullRequest).fromFork).toBe(false);
  });

  it('reads a pull request whose fork was deleted (head.repo is null) as a fork', () => {
    // Prepare
    const pullRequest = pullRequestOf('synchronize');
    (pullRequest.head as Json).repo = null;

    // Act
    const info = pullRequestInfoFromPayload(pullRequest);

    // Assess
    expect(info).toMatchObject({ headRepository: '(deleted fork)', fromFork: true, headRef: 'changes' });
  });

  it('reads a merged and a closed pull request', () => {
    expect(pullRequestInfoFromPayload(pullRequestOf('closed', { merged: true }))).toMatchObject({ state: 'closed', merged: true });
    expect(pullRequestInfoFromPayload(pullRequestOf('closed', { merged: false }))).toMatchObject({ state: 'closed', merged: false });
  });

  it('reads a draft', () => {
    expect(pullRequestInfoFromPayload(pullRequestOf('opened', { draft: true })).draft).toBe(true);
  });

  it.each<[string, (pr: Json) => void]>([
    ['pull_request.head.sha', (pr) => delete (pr.head as Json).sha],
    ['pull_request.head.sha', (pr) => ((pr.head as Json).sha = 'main')],
    ['pull_request.number', (pr) => (pr.number = '42')],
    ['pull_request.base.repo', (pr) => ((pr.base as Json).repo = null)],
    ['pull_request.state', (pr) => (pr.state = 'merged')],
    ['pull_request.labels', (pr) => (pr.labels = 'gitops')],
  ])('rejects a malformed pull request with a 400 naming %s', (field, breakIt) => {
    // Prepare
    const pullRequest = pullRequestOf('opened');
    breakIt(pullRequest);

    // Act
    const parse = () => pullRequestInfoFromPayload(pullRequest);

    // Assess
    expect(parse).toThrow(MalformedRequest);
    expect(parse).toThrow(new RegExp(`^${field.replace(/\./g, '\\.')}: `));
    try {
      parse();
    } catch (err) {
      expect(err).toMatchObject({ status: 400 });
      expect((err as Error).message).not.toContain('\n');
    }
  });
});
