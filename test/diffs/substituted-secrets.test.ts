import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_MASKED_LENGTH, secretMasker, SUBSTITUTED_SECRET_MASK } from '../../lib/flows/diffs/substituted-secrets';

describe('secretMasker', () => {
  it('leaves no substituted value, as written or base64-encoded, in any text around it', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: MIN_MASKED_LENGTH, maxLength: 40 }), { minLength: 1, maxLength: 4 }), fc.string(), fc.string(), (values, before, after) => {
        // Prepare
        const masker = secretMasker(values);
        const text = `${before}${values.join(' ')}${after}\n${values.map((v) => Buffer.from(v).toString('base64')).join(',')}`;

        // Act
        const masked = masker.mask(text);

        // Assess: no value is left between the masks (a value inside the mask's own words does not count)
        for (const value of values) {
          if (SUBSTITUTED_SECRET_MASK.includes(value)) continue;
          for (const piece of masked.split(SUBSTITUTED_SECRET_MASK)) expect(piece).not.toContain(value);
        }
        expect(masker.touched).toBe(true);
      }),
    );
  });

  it('does not mask values too short to be credentials, and counts them', () => {
    const masker = secretMasker(['on', '443', 'long-enough']);
    expect(masker.mask('port 443 is on, token long-enough')).toBe(`port 443 is on, token ${SUBSTITUTED_SECRET_MASK}`);
    expect(masker.unmasked).toBe(2);
  });
});
