import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGithubApp, listAppHookDeliveries, redeliverAppHookDelivery, RedeliveryRefused } from '../../lib/adapters/github';
import { INSTALLATION, seen, startHarness, type Harness } from './harness';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe("the App webhook's deliveries (App JWT)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.github.stop();
  });

  it('lists deliveries newest first with the app JWT, in GitHub field names decoded', async () => {
    // Prepare
    const older = h.github.hookDeliveries.add({ statusCode: 0, deliveredAt: minutesAgo(10) });
    const newer = h.github.hookDeliveries.add({ event: 'check_run', action: 'rerequested', statusCode: 202, deliveredAt: minutesAgo(5), redelivery: true });

    // Act
    const listed = await listAppHookDeliveries(h.app.forApp(), { since: minutesAgo(60) });

    // Assess
    expect(listed).toMatchObject({ pages: 1, complete: true });
    expect(listed.deliveries).toEqual([
      { id: newer.id, guid: newer.guid, deliveredAt: new Date(newer.delivered_at), redelivery: true, status: 'OK', statusCode: 202, event: 'check_run', action: 'rerequested', installationId: INSTALLATION, repositoryId: 700_123 },
      { id: older.id, guid: older.guid, deliveredAt: new Date(older.delivered_at), redelivery: false, status: 'timed out', statusCode: 0, event: 'pull_request', action: 'opened', installationId: INSTALLATION, repositoryId: 700_123 },
    ]);
    expect(seen(h.github)).toEqual(['GET /app/hook/deliveries (jwt)']);
  });

  it('stops at the first page that reaches back past `since`', async () => {
    // Prepare: 150 deliveries one minute apart; page 1 holds minutes 0-99.
    for (let minutes = 149; minutes >= 0; minutes--) h.github.hookDeliveries.add({ statusCode: 202, deliveredAt: minutesAgo(minutes) });

    // Act
    const listed = await listAppHookDeliveries(h.app.forApp(), { since: minutesAgo(50.5) });

    // Assess
    expect(listed).toMatchObject({ pages: 1, complete: true });
    expect(listed.deliveries).toHaveLength(51);
  });

  it('says the list is incomplete when maxPages stops it before `since`', async () => {
    // Prepare
    for (let minutes = 249; minutes >= 0; minutes--) h.github.hookDeliveries.add({ statusCode: 202, deliveredAt: minutesAgo(minutes) });

    // Act
    const listed = await listAppHookDeliveries(h.app.forApp(), { since: minutesAgo(300), maxPages: 2 });

    // Assess
    expect(listed).toMatchObject({ pages: 2, complete: false });
    expect(listed.deliveries).toHaveLength(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an installation token', 'token ghs_0123456789abcdef0123456789abcdef0123'],
    ['a JWT signed by another key', 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJl'],
  ])('the fake answers 401 to %s, as GitHub does', async (_what, authorization) => {
    // Act
    const response = await fetch(`${h.github.url}/app/hook/deliveries?per_page=100`, { headers: authorization ? { authorization } : {} });
    const redelivery = await fetch(`${h.github.url}/app/hook/deliveries/1/attempts`, { method: 'POST', headers: authorization ? { authorization } : {} });

    // Assess
    expect(response.status).toBe(401);
    expect(redelivery.status).toBe(401);
    expect(h.github.hookDeliveries.attempts).toEqual([]);
  });

  it('fails with AppAuthFailed when GitHub rejects the JWT', async () => {
    // Prepare
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const app = createGithubApp({ appId: h.appId, privateKey, apiUrl: h.github.url, policy: { retryBaseMs: 10 } });

    // Act
    const failure = listAppHookDeliveries(app.forApp(), { since: minutesAgo(60) });

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'AppAuthFailed' });
  });

  it('asks for a redelivery, which GitHub lists as a new delivery of the same guid', async () => {
    // Prepare
    const failed = h.github.hookDeliveries.add({ statusCode: 503, deliveredAt: minutesAgo(5) });

    // Act
    await redeliverAppHookDelivery(h.app.forApp(), failed.id);

    // Assess
    const [redelivery] = h.github.hookDeliveries.all();
    expect(redelivery).toMatchObject({ guid: failed.guid, redelivery: true, status_code: 202 });
    expect(redelivery?.id).toBeGreaterThan(failed.id);
    expect(seen(h.github)).toEqual([`POST /app/hook/deliveries/${failed.id}/attempts (jwt)`]);
  });

  it('reports a delivery GitHub will not redeliver as RedeliveryRefused, without retrying', async () => {
    // Act
    const failure = redeliverAppHookDelivery(h.app.forApp(), 999);

    // Assess
    await expect(failure).rejects.toBeInstanceOf(RedeliveryRefused);
    await expect(failure).rejects.toThrow(/delivery 999 \(404/);
    expect(seen(h.github)).toHaveLength(1);
  });

  it('does not retry a 5xx of the redelivery POST, which may have been made (the sweep checks the list instead)', async () => {
    // Prepare
    const failed = h.github.hookDeliveries.add({ statusCode: 503, deliveredAt: minutesAgo(5) });
    h.github.failNext({ method: 'POST', path: /\/attempts$/ }, [{ status: 502 }, { status: 502 }, { status: 502 }]);

    // Act
    const failure = redeliverAppHookDelivery(h.app.forApp(), failed.id);

    // Assess
    await expect(failure).rejects.toMatchObject({ status: 502 });
    expect(seen(h.github)).toHaveLength(1);
    expect(h.github.hookDeliveries.attempts).toEqual([]);
  });
});
