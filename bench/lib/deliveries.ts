// A burst of pull_request.opened deliveries, as GitHub sends them, to npm start; and the wait for the
// PR notices they cause, which a queue consumer may post well after the answers.
import { performance } from 'node:perf_hooks';
import { pullRequestPayload } from '../../test/helpers/github-payloads';
import { githubDelivery } from './requests.mjs';
import { INSTALLATION, REPOSITORY, SECRETS } from './settings';
import { postsPerPullRequest } from './stats';
import type { World } from './world';

export interface BurstAnswers {
  /** Milliseconds from send to the end of each answer's body, as the sender sees it. */
  answerMs: number[];
  seconds: number;
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
}

/**
 * `unique` distinct PRs from `first`, plus `redeliveries` of some of them (same delivery id, same body),
 * shuffled (by a random sort key) so a redelivery may come before, with or after its original.
 */
export function burstRequests(first: number, unique: number, redeliveries: number): { body: string; headers: Record<string, string> }[] {
  const template = pullRequestPayload('opened', { repository: REPOSITORY, installationId: INSTALLATION });
  const deliveries = Array.from({ length: unique }, (_, i) => githubDelivery(template, { secret: SECRETS.webhook, number: first + i }));
  const requests = [...deliveries];
  for (let i = 0; i < redeliveries; i++) requests.push(deliveries[i % deliveries.length] ?? deliveries[0] ?? { body: '', headers: {} });
  return requests
    .map((request) => ({ request, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ request }) => request);
}

/** Sends every request at once and collects the answers. */
export async function sendAll(port: number, requests: { body: string; headers: Record<string, string> }[]): Promise<BurstAnswers> {
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const answerMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    requests.map(async ({ body, headers }) => {
      try {
        const sent = performance.now();
        const response = await fetch(`http://127.0.0.1:${port}/github/webhook`, { method: 'POST', body, headers });
        const text = await response.text();
        answerMs.push(performance.now() - sent);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        let outcome: string;
        try {
          const json = JSON.parse(text) as { status?: string; errorType?: string };
          outcome = json.status ?? json.errorType ?? `other: ${text.slice(0, 120)}`;
        } catch {
          outcome = `not JSON: ${text.slice(0, 120)}`;
        }
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      } catch (err) {
        statuses.network = (statuses.network ?? 0) + 1;
        outcomes[(err as Error).message] = (outcomes[(err as Error).message] ?? 0) + 1;
      }
    }),
  );
  return { answerMs, seconds: (performance.now() - started) / 1000, statuses, outcomes };
}

/** The top-level Slack posts since `before` (an index into the fake's messages). */
export const postsSince = (world: World, before: number): string[] => world.slack.messages.slice(before).filter((m) => !m.threadTs).map((m) => m.text);

/**
 * Waits until every PR in `numbers` has a post, or no new post came for `quietSeconds`, or `maxSeconds`
 * passed; returns how long it waited, in whole seconds. Once every PR has one, it waits 2 s more, so a
 * duplicate close behind is counted.
 */
export async function waitForPosts(world: World, before: number, numbers: number[], { quietSeconds = 10, maxSeconds = 120 } = {}): Promise<number> {
  let waited = 0;
  for (let seen = -1, quiet = 0; quiet < quietSeconds && waited < maxSeconds; waited++) {
    const posts = postsSince(world, before);
    if (postsPerPullRequest(posts, REPOSITORY, numbers).lost === 0) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return waited + 2;
    }
    quiet = posts.length === seen ? quiet + 1 : 0;
    seen = posts.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return waited;
}

/** Date.now() of the last chat.postMessage the fake Slack served since request index `from`, or undefined. */
export function lastPostAt(world: World, from: number): number | undefined {
  const at = world.slack.requests.slice(from).filter((r) => r.method === 'chat.postMessage').map((r) => r.at);
  return at.length > 0 ? Math.max(...at) : undefined;
}
