// Outage: npm start with the bench's fakes; the fake Slack answers 503 for the first OUTAGE_SECONDS of a
// burst, and one PR in ten fails its first files listing on the fake GitHub (500). Once Slack is back,
// every PR must still get exactly one post: retried with backoff, not lost, not doubled.
import { burstRequests, lastPostAt, postsSince, sendAll, waitForPosts } from '../lib/deliveries';
import { startNpmStart } from '../lib/npm-start';
import { REPOSITORY, SETTINGS, log } from '../lib/settings';
import { postsPerPullRequest, round, spread } from '../lib/stats';
import { reserveBurst, type World } from '../lib/world';

const FILES_ROUTE = 'GET /repos/[^/]+/[^/]+/pulls/\\d+/files';
/** What the in-process queue logs when it gives a message up (after its third receive). */
const DEAD_LETTERED = /dead-lettered/;

export async function outage(world: World, { logLevel }: { logLevel: string | undefined }) {
  const outageMs = SETTINGS.outageSeconds * 1000;
  const { first, unique, redeliveries, numbers } = reserveBurst(world, SETTINGS.outageDeliveries);
  const server = await startNpmStart(world, { table: 'fluxline-outage', logLevel, count: [DEAD_LETTERED] });
  const { slack, github } = world;
  const slackBefore = slack.faults.counters();
  const githubBefore = github.faults.counters();
  try {
    const requests = burstRequests(first, unique, redeliveries);
    const messagesBefore = slack.messages.length;
    const requestsBefore = slack.requests.length;
    log(`outage: Slack answers 503 for ${SETTINGS.outageSeconds} s; ${requests.length} deliveries (${unique} PRs + ${redeliveries} redeliveries) at once; 1 PR in 10 fails its first files listing`);
    slack.faults.failFor({ status: 503, ms: outageMs });
    github.faults.failFirstAttempt({ status: 500, every: 10, methods: [FILES_ROUTE] });
    const slackBackAt = Date.now() + outageMs;
    const answers = await sendAll(server.port, requests);
    const untilBack = slackBackAt - Date.now();
    if (untilBack > 0) await new Promise((resolve) => setTimeout(resolve, untilBack));
    log('outage: Slack is back; waiting for the posts');
    // Retries back off (the in-process queue honours Retry-After, up to 3 receives): allow them time.
    const settledAfter = await waitForPosts(world, messagesBefore, numbers, { quietSeconds: 10, maxSeconds: 120 });
    const posts = postsSince(world, messagesBefore);
    const count = postsPerPullRequest(posts, REPOSITORY, numbers);
    const last = lastPostAt(world, requestsBefore);
    const slackAfter = slack.faults.counters();
    const githubAfter = github.faults.counters();
    const slackFailed = slackAfter.injected - slackBefore.injected;
    const githubFailed = githubAfter.injected - githubBefore.injected;
    return {
      deliveries: requests.length,
      uniquePullRequests: unique,
      redeliveries,
      outageSeconds: SETTINGS.outageSeconds,
      slackPosts: posts.length,
      lostPosts: count.lost,
      duplicatePosts: count.duplicated,
      // Every injected failure is a request some client had to retry (or gave up on).
      injectedFailures: { slack: slackFailed, github: githubFailed },
      retriesSeen: slackFailed + githubFailed,
      githubRecovered: githubAfter.recovered - githubBefore.recovered,
      deadLettered: server.linesMatching(DEAD_LETTERED),
      answerMs: spread(answers.answerMs),
      // How long after Slack came back the last post arrived (negative: before it went down for good).
      lastPostAfterSlackBackSeconds: last === undefined ? null : round((last - slackBackAt) / 1000, 1),
      postsSettledAfterSeconds: settledAfter,
      statuses: answers.statuses,
      outcomes: answers.outcomes,
      npmStartReadySeconds: round(server.readySeconds),
    };
  } finally {
    slack.faults.clear();
    github.faults.clear();
    await server.stop();
  }
}
