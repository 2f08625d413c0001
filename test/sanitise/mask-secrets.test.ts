import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../lib/core/sanitise';

const chars = (alphabet: string, min: number, max = min) => fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = `${ALNUM}/+`;

/** A credential as a leak would show it, and the part of it that must not survive. */
const secret = fc.oneof(
  fc.tuple(fc.constantFrom('b', 'p', 'a', 'o', 's', 'r'), chars(`${ALNUM}-`, 10, 60)).map(([kind, rest]) => ({ text: `xox${kind}-${rest}`, value: rest })),
  fc.tuple(fc.constantFrom('p', 'o', 'u', 's', 'r'), chars(ALNUM, 36, 40)).map(([kind, rest]) => ({ text: `gh${kind}_${rest}`, value: rest })),
  chars(`${ALNUM}_`, 40, 82).map((rest) => ({ text: `github_pat_${rest}`, value: rest })),
  fc.tuple(fc.constantFrom('AKIA', 'ASIA'), chars(UPPER_DIGITS, 16), chars(BASE64, 40)).map(([prefix, id, key]) => ({ text: `${prefix}${id} ${key}`, value: [id, key] })),
  chars(BASE64, 40).map((key) => ({ text: `aws_secret_access_key = ${key}`, value: key })),
  fc.tuple(fc.constantFrom('RSA ', 'EC ', 'OPENSSH ', ''), chars(`${BASE64}\n`, 20, 200)).map(([kind, body]) => ({ text: `-----BEGIN ${kind}PRIVATE KEY-----\n${body}\n-----END ${kind}PRIVATE KEY-----`, value: body })),
  fc.tuple(fc.constantFrom('client-key-data', 'client-certificate-data', 'token'), chars(`${BASE64}=.`, 16, 80)).map(([field, value]) => ({ text: `    ${field}: ${value}`, value })),
  chars(`${ALNUM}._-`, 16, 80).map((token) => ({ text: `Authorization: Bearer ${token}`, value: token })),
);

/** Any text around it, kept on its own line so an AWS key pair stays together as it would in a file. */
const around = fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, ' '));

describe('maskSecrets', () => {
  it('leaves no generated credential in any text around it', () => {
    fc.assert(
      fc.property(around, secret, around, (before, { text, value }, after) => {
        const masked = maskSecrets(`${before}\n${text}\n${after}`);
        for (const part of [value].flat()) expect(masked).not.toContain(part);
      }),
    );
  });

  it('is idempotent, so a text masked at its source passes the outbound guards unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), secret.map((s) => s.text)), { maxLength: 6 }), (parts) => {
        const once = maskSecrets(parts.join(' '));
        expect(maskSecrets(once)).toBe(once);
      }),
    );
  });

  it.each([
    ['a flux diff without credentials', '► Service/default/podinfo drifted\n\nspec.ports.http.port\n± value change\n- 9899\n+ 9898'],
    ['a Kubernetes name that mentions a token', '► Secret/default/podinfo-token-77t89m9b67 created'],
    ['an error line', '✗ failed to get kustomization object: Unauthorized'],
  ])('leaves %s as it is', (_, text) => {
    expect(maskSecrets(text)).toBe(text);
  });

  it('says which kind of secret it masked', () => {
    // Prepare
    const text = 'token xoxb-1-2-abc and ghs_0123456789abcdefABCDEF\nclient-key-data: LS0tLS1CRUdJTg==';

    // Act
    const masked = maskSecrets(text);

    // Assess
    expect(masked).toBe('token xox?-[redacted] and gh?_[redacted]\nclient-key-data: [redacted]');
  });
});
