import { describe, expect, it } from 'vitest';
import { contextMessage } from '../../lib/adapters/slack';

describe('contextMessage', () => {
  it('builds a one-block thread reply whose text carries every line', () => {
    // Act
    const message = contextMessage('C0FLUX', '1700000000.000100', ['New commits: `aaaaaaa` → `bbbbbbb`.', 'Run Flux diff again.']);

    // Assess
    expect(message).toEqual({
      channel: 'C0FLUX',
      threadTs: '1700000000.000100',
      text: 'New commits: `aaaaaaa` → `bbbbbbb`.\nRun Flux diff again.',
      blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'New commits: `aaaaaaa` → `bbbbbbb`.\nRun Flux diff again.' }] }],
    });
  });

  it('has no threadTs when posted to the channel itself', () => {
    expect(contextMessage('C0FLUX', undefined, ['hello'])).not.toHaveProperty('threadTs');
  });

  it("stays within Slack's 3,000 characters per text element", () => {
    const message = contextMessage('C0FLUX', undefined, ['x'.repeat(5000)]);

    expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(message.blocks)).not.toContain('x'.repeat(3000));
  });
});
