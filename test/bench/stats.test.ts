import { describe, expect, it } from 'vitest';
import { allMet, atMost } from '../../bench/lib/goals';
import { postsPerPullRequest, quantile } from '../../bench/lib/stats';

describe('the bench’s pure helpers', () => {
  it('takes the nearest-rank quantile, NaN for no sample', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile([5, 1, 4, 2, 3], 0.99)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('counts lost and duplicated posts per PR, not confusing #10 with #100', () => {
    // Prepare
    const posts = ['acme/fleet#10 by a', 'acme/fleet#100 by b', 'acme/fleet#100 again', 'notice of acme/fleet PR 11'];

    // Act
    const counted = postsPerPullRequest(posts, 'acme/fleet', [10, 11, 100]);

    // Assess
    expect(counted).toEqual({ lost: 1, duplicated: 1, posted: 2 });
  });

  it.each([
    [2, 3, 'met'],
    [3, 3, 'met'],
    [3.1, 3, 'MISSED'],
    [undefined, 3, 'MISSED'],
    [NaN, 3, 'MISSED'],
  ] as const)('judges %s against a limit of %s as %s', (value, limit, verdict) => {
    expect(atMost(value, limit)).toBe(verdict);
  });

  it('meets a combined goal only when every part is met', () => {
    expect(allMet('met', 'met')).toBe('met');
    expect(allMet('met', 'MISSED')).toBe('MISSED');
    expect(allMet()).toBe('MISSED');
  });
});
