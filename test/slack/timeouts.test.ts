import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlack, SlackRequestFailed } from '../../lib/adapters/slack';
import { startBlackHole, type BlackHole } from '../fakes/black-hole';

// Issue #17 item 4: a Slack API that accepts connections and never answers.
describe('Slack with the API black-holed', () => {
  let hole: BlackHole;
  beforeAll(async () => (hole = await startBlackHole()));
  afterAll(async () => hole.stop());

  it('fails the call with SlackRequestFailed naming the timeout, after its bounded retries', async () => {
    // Prepare
    const slack = createSlack({ token: 'xoxb-black-hole', apiUrl: `${hole.url}/api/`, retry: { requestTimeoutMs: 100, retries: 1, backoffMs: 1 } });
    const before = hole.connections();

    // Act
    const failure = slack.postMessage({ channel: 'C0FLUX', text: 'hello' });

    // Assess
    await expect(failure).rejects.toBeInstanceOf(SlackRequestFailed);
    await expect(failure).rejects.toThrow(/^Slack chat\.postMessage failed after 2 attempts: could not reach Slack \(timed out: no answer within 100 ms\)/);
    await expect(failure).rejects.not.toThrow(/xoxb-/);
    expect(hole.connections() - before).toBeGreaterThanOrEqual(1);
  });
});
