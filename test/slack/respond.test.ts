import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlack, responseUrlAllowed, SlackRateLimited, SlackRequestFailed, type SlackPort } from '../../lib/adapters/slack';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';

const TOKEN = 'xoxb-respond-tests';

describe('answering a command or a click (SlackPort.respond)', () => {
  let fake: FakeSlack;
  let slack: SlackPort;
  beforeAll(async () => {
    fake = await startFakeSlack({ token: TOKEN });
    slack = createSlack({ token: TOKEN, apiUrl: fake.url, retry: { retries: 0 } });
  });
  afterAll(() => fake.stop());

  const answer = { channel: 'C0FLUX', user: 'U0DEV', responseType: 'ephemeral' as const, text: 'done' };

  it('posts to the response_url, which works in DMs and channels the bot is not in', async () => {
    await slack.respond({ ...answer, responseUrl: fake.responseUrl('r1') });
    expect(fake.responses.filter((r) => r.id === 'r1')).toEqual([{ id: 'r1', responseType: 'ephemeral', text: 'done' }]);
  });

  it('posts ephemerally instead once the response_url is used up (Slack allows five uses in 30 minutes)', async () => {
    for (let i = 0; i < 5; i++) await slack.respond({ ...answer, responseUrl: fake.responseUrl('r2') });
    const ephemerals = fake.ephemerals.length;

    await slack.respond({ ...answer, responseUrl: fake.responseUrl('r2') });

    expect(fake.responses.filter((r) => r.id === 'r2')).toHaveLength(5);
    expect(fake.ephemerals.slice(ephemerals)).toEqual([expect.objectContaining({ channel: 'C0FLUX', user: 'U0DEV', text: 'done' })]);
  });

  it('never posts to a response_url outside Slack: it answers through the Web API', async () => {
    const messages = fake.messages.length;

    await slack.respond({ ...answer, responseType: 'in_channel', responseUrl: 'https://attacker.example/collect' });

    expect(fake.messages.slice(messages)).toEqual([expect.objectContaining({ channel: 'C0FLUX', text: 'done' })]);
  });

  it.each([
    [429, SlackRateLimited],
    [503, SlackRequestFailed],
  ])('throws on HTTP %i so the queue delivers the request again later', async (status, error) => {
    fake.failNext('response_url', [{ status, headers: { 'Retry-After': '7' } }]);
    await expect(slack.respond({ ...answer, responseUrl: fake.responseUrl('r3') })).rejects.toBeInstanceOf(error);
  });

  it('allows hooks.slack.com and the Web API origin, and nothing else', () => {
    expect(responseUrlAllowed('https://hooks.slack.com/commands/T1/2/x', 'https://slack.com/api/')).toBe(true);
    expect(responseUrlAllowed('http://hooks.slack.com/commands/T1/2/x', 'https://slack.com/api/')).toBe(false);
    expect(responseUrlAllowed('https://hooks.slack.com.evil.example/x', 'https://slack.com/api/')).toBe(false);
    expect(responseUrlAllowed('https://slack.gov/api/x', 'https://slack.gov/api/')).toBe(true);
    expect(responseUrlAllowed('not a url', 'https://slack.com/api/')).toBe(false);
  });
});
