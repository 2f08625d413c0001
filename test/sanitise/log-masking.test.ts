import { describe, expect, it } from 'vitest';
import { logger } from '../../lib/core/log';

describe('log lines', () => {
  it('mask credentials in messages, attributes and errors before they are written', () => {
    // Prepare: what a failed flux run or GitHub call could log
    const error = new Error('flux: Unauthorized for token: eyJhbGciOiJSUzI1NiJ9.FAKE.FAKE', { cause: new Error('Authorization: Bearer ghs_FAKEfakeFAKEfakeFAKEfake01') });
    const line = { message: 'job failed', stderr: '✗ xoxb-000000000000-000000000000-FAKEfake', error };

    // Act
    // The replacer Powertools serialises every line with (protected: reached the way a subclass would).
    const written = JSON.stringify(line, (logger as unknown as { getJsonReplacer(): (key: string, value: unknown) => unknown }).getJsonReplacer());

    // Assess
    expect(written).toContain('job failed');
    expect(written).toContain('Unauthorized');
    expect(written).not.toMatch(/eyJhbGci|ghs_FAKE|xoxb-0000/);
  });
});
