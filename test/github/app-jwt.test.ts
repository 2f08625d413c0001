import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appJwtSigner } from '../../lib/adapters/github/app-jwt';

const NOW = Date.parse('2026-11-23T12:00:00Z');

function keyPair(type: 'pkcs1' | 'pkcs8') {
  return generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type, format: 'pem' } });
}

function decode(jwt: string) {
  const [header = '', claims = '', signature = ''] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as unknown,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) as unknown,
    signed: Buffer.from(`${header}.${claims}`),
    signature: Buffer.from(signature, 'base64url'),
  };
}

describe('appJwtSigner', () => {
  it.each(['pkcs1', 'pkcs8'] as const)('signs RS256 claims GitHub accepts with a %s key', async (type) => {
    // Prepare
    const { privateKey, publicKey } = keyPair(type);

    // Act
    const { jwt, expiresAt } = await appJwtSigner(privateKey, () => NOW)('31000');

    // Assess
    const token = decode(jwt);
    expect(token.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(token.claims).toEqual({ iat: NOW / 1000 - 30, exp: NOW / 1000 - 30 + 600, iss: '31000' });
    expect(verify('RSA-SHA256', token.signed, publicKey, token.signature)).toBe(true);
    expect(expiresAt).toBe(new Date(NOW + 570_000).toISOString());
  });

  it("applies auth-app's clock correction", async () => {
    // Act
    const { jwt } = await appJwtSigner(keyPair('pkcs1').privateKey, () => NOW)(7, -120);

    // Assess
    expect(decode(jwt).claims).toMatchObject({ iat: NOW / 1000 - 150, iss: 7 });
  });

  it('accepts a key written on one line with literal \\n', async () => {
    // Prepare
    const { privateKey, publicKey } = keyPair('pkcs1');

    // Act
    const { jwt } = await appJwtSigner(privateKey.trim().replace(/\n/g, '\\n'), () => NOW)('1');

    // Assess
    const token = decode(jwt);
    expect(verify('RSA-SHA256', token.signed, publicKey, token.signature)).toBe(true);
  });

  it('reuses one JWT for five minutes, then signs a new one; another clock correction gets its own (issue #20)', async () => {
    // Prepare
    let now = NOW;
    const signer = appJwtSigner(keyPair('pkcs1').privateKey, () => now);

    // Act
    const first = await signer('31000');
    now = NOW + 299_000;
    const reused = await signer('31000');
    const corrected = await signer('31000', -120);
    now = NOW + 300_000;
    const renewed = await signer('31000');

    // Assess
    expect(reused).toEqual(first);
    expect(corrected.jwt).not.toBe(first.jwt);
    expect(decode(renewed.jwt).claims).toMatchObject({ iat: (NOW + 300_000) / 1000 - 30 });
  });

  it('fails on a key that is not one, without echoing it', async () => {
    // Act
    const failure = appJwtSigner('-----BEGIN RSA PRIVATE KEY-----\nnot-a-key\n-----END RSA PRIVATE KEY-----', () => NOW)('1');

    // Assess
    await expect(failure).rejects.toThrow();
    await expect(failure).rejects.not.toThrow(/not-a-key/);
  });
});
