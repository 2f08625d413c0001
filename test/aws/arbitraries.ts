import fc from 'fast-check';

const keyChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
const secretChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/');

/** Temporary credentials as Lambda's role gives them (an ASIA key, a secret, a session token or none). */
export const awsCredentials = {
  accessKeyId: fc.string({ unit: keyChars, minLength: 16, maxLength: 20 }).map((s) => `ASIA${s}`),
  secretAccessKey: fc.string({ unit: secretChars, minLength: 40, maxLength: 40 }),
  sessionToken: fc.option(fc.string({ unit: secretChars, minLength: 20, maxLength: 200 }), { nil: undefined }),
};
