import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOCAL_RETRY_POLICY, retryDelaySeconds, SQS_RETRY_POLICY } from '../../lib/adapters/queue';
import { SlackRateLimited } from '../../lib/adapters/slack';

describe('retryDelaySeconds', () => {
  it('waits what Slack or GitHub asked for (Retry-After), not the shorter backoff', () => {
    expect(retryDelaySeconds(new SlackRateLimited('chat.postMessage', 30, 'longer than a request may wait'), 1, SQS_RETRY_POLICY)).toBe(30);
    expect(retryDelaySeconds(Object.assign(new Error('secondary rate limit'), { retryAfterSeconds: 61 }), 2, SQS_RETRY_POLICY)).toBe(61);
  });

  it('backs off 10 s, 20 s, 40 s … on SQS, 15 minutes at most, with up to 20 % jitter', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 8].map((n) => retryDelaySeconds(new Error('503'), n, SQS_RETRY_POLICY, none))).toEqual([10, 20, 40, 80, 900]);
    expect(retryDelaySeconds(new Error('503'), 1, SQS_RETRY_POLICY, () => 0.999)).toBe(12);
  });

  it('never waits longer than the policy allows, nor less than nothing, whatever the error says', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.oneof(fc.constant(undefined), fc.double({ noNaN: false })), fc.double({ min: 0, max: 0.9999, noNaN: true }), (receiveCount, retryAfter, random) => {
        const err = retryAfter === undefined ? new Error('x') : Object.assign(new Error('x'), { retryAfterSeconds: retryAfter });
        for (const policy of [SQS_RETRY_POLICY, LOCAL_RETRY_POLICY]) {
          const seconds = retryDelaySeconds(err, receiveCount, policy, () => random);
          expect(seconds).toBeGreaterThanOrEqual(0);
          expect(seconds).toBeLessThanOrEqual(policy.maxDelaySeconds);
          expect(Number.isInteger(seconds)).toBe(true);
        }
      }),
    );
  });
});
