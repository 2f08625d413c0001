// 4. Burst: npm start with the bench's fakes; BURST deliveries at once, 90 % distinct PRs and 10 %
// redeliveries; then exactly one Slack post per PR is expected.
import { burstRequests, lastPostAt, postsSince, sendAll, waitForPosts } from '../lib/deliveries';
import { startNpmStart } from '../lib/npm-start';
import { REPOSITORY, SETTINGS, log } from '../lib/settings';
import { postsPerPullRequest, round, spread } from '../lib/stats';
import { reserveBurst, type World } from '../lib/world';

export async function burst(world: World, { logLevel }: { logLevel: string | undefined }) {
  const { first, unique, redeliveries, numbers } = reserveBurst(world, SETTINGS.burst);
  const server = await startNpmStart(world, { table: 'fluxline-burst', logLevel });
  try {
    const requests = burstRequests(first, unique, redeliveries);
    const messagesBefore = world.slack.messages.length;
    const requestsBefore = world.slack.requests.length;
    log(`burst: ${requests.length} deliveries (${unique} PRs + ${redeliveries} redeliveries) at once`);
    const burstStartedAt = Date.now();
    const answers = await sendAll(server.port, requests);
    // The posts may come after the answers (a queue consumer posts them, or serverless offline answers a
    // handler that outlived its 10 s timeout with a 504 in a 200 and lets it run on).
    const settledAfter = await waitForPosts(world, messagesBefore, numbers, { quietSeconds: 10, maxSeconds: 120 });
    const posts = postsSince(world, messagesBefore);
    const count = postsPerPullRequest(posts, REPOSITORY, numbers);
    // When the work was done: the last chat.postMessage, which may come after the last answer.
    const workSeconds = Math.max(answers.seconds, ((lastPostAt(world, requestsBefore) ?? burstStartedAt) - burstStartedAt) / 1000);
    return {
      deliveries: requests.length,
      uniquePullRequests: unique,
      redeliveries,
      seconds: round(answers.seconds, 2),
      workSeconds: round(workSeconds, 2),
      deliveriesPerSecond: round(requests.length / workSeconds),
      answersPerSecond: round(requests.length / answers.seconds),
      slackPosts: posts.length,
      lostPosts: count.lost,
      duplicatePosts: count.duplicated,
      answerMs: spread(answers.answerMs),
      // As the sender sees it: the goal is every answer within 1 s; GitHub itself gives up after 10 s.
      answeredAfter1s: answers.answerMs.filter((ms) => ms > 1_000).length,
      answeredAfter10s: answers.answerMs.filter((ms) => ms > 10_000).length,
      timedOut: answers.outcomes.LambdaTimeoutError ?? 0,
      postsSettledAfterSeconds: settledAfter,
      statuses: answers.statuses,
      outcomes: answers.outcomes,
      npmStartReadySeconds: round(server.readySeconds),
    };
  } finally {
    await server.stop();
  }
}
