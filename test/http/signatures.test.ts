import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RequestExpired, SecretNotConfigured, SignatureInvalid, SignatureMissing, verifyFluxRequest, verifyGithubRequest, verifySlackRequest } from '../../lib/core/http';

describe('GitHub webhook signature', () => {
  // GitHub's documented example ("Validating webhook deliveries"): secret "It's a Secret to Everybody",
  // payload "Hello, World!".
  const secret = "It's a Secret to Everybody";
  const body = Buffer.from('Hello, World!');
  const documented = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it("accepts GitHub's documented example", async () => {
    await expect(verifyGithubRequest(secret, body, documented)).resolves.toBeUndefined();
  });

  it.each([
    ['a tampered body', Buffer.from('Hello, World?'), documented],
    ['a signature made with another secret', body, `sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`],
    ['a truncated signature', body, documented.slice(0, 40)],
  ])('rejects %s', async (_, payload, signature) => {
    await expect(verifyGithubRequest(secret, payload, signature)).rejects.toBeInstanceOf(SignatureInvalid);
  });

  it('rejects a missing signature with 401', async () => {
    await expect(verifyGithubRequest(secret, body, undefined)).rejects.toMatchObject({ status: 401, name: 'SignatureMissing' });
  });

  it('fails closed when the secret is not configured', async () => {
    await expect(verifyGithubRequest(undefined, body, documented)).rejects.toBeInstanceOf(SecretNotConfigured);
  });
});

describe('Slack request signature', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const body = Buffer.from('token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fflux&text=help');
  const timestamp = '1531420618';
  const now = () => 1531420618 * 1000 + 30_000;
  const sign = (ts: string, raw: Buffer, key = secret) => `v0=${createHmac('sha256', key).update(`v0:${ts}:${raw.toString()}`).digest('hex')}`;

  it('accepts a request signed with the signing secret within the replay window', () => {
    expect(() => verifySlackRequest(secret, body, timestamp, sign(timestamp, body), { nowMilliseconds: now })).not.toThrow();
  });

  it('rejects a replay older than five minutes even with a valid signature', () => {
    const late = () => (1531420618 + 301) * 1000;
    expect(() => verifySlackRequest(secret, body, timestamp, sign(timestamp, body), { nowMilliseconds: late })).toThrow(RequestExpired);
  });

  it('rejects a body changed after signing', () => {
    expect(() => verifySlackRequest(secret, Buffer.from(`${body.toString()}x`), timestamp, sign(timestamp, body), { nowMilliseconds: now })).toThrow(SignatureInvalid);
  });

  it.each([
    ['timestamp', undefined, 'v0=abc'],
    ['signature', timestamp, undefined],
  ])('rejects a missing %s', (_, ts, signature) => {
    expect(() => verifySlackRequest(secret, body, ts, signature, { nowMilliseconds: now })).toThrow(SignatureMissing);
  });
});

describe('Flux generic-hmac signature', () => {
  const token = 'flux-token';
  const body = Buffer.from('{"involvedObject":{"kind":"Kustomization"}}');

  it('accepts X-Signature: sha256=<hex HMAC of the body>', () => {
    expect(() => verifyFluxRequest(token, body, `sha256=${createHmac('sha256', token).update(body).digest('hex')}`)).not.toThrow();
  });

  it.each([['sha256=deadbeef'], ['md5=abc'], ['garbage']])('rejects %s', (signature) => {
    expect(() => verifyFluxRequest(token, body, signature)).toThrow(SignatureInvalid);
  });

  it('fails closed without a token', () => {
    expect(() => verifyFluxRequest(undefined, body, 'sha256=00')).toThrow(SecretNotConfigured);
  });
});
