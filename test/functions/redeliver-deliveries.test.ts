import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { handleRedeliverySchedule } from '../../functions/redeliver-deliveries';
import { logger } from '../../lib/core/log';
import { createStore, ensureTable } from '../../lib/adapters/store';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from '../fakes/github';

/** What EventBridge sends a scheduled Lambda (the fields the handler reads). */
const scheduled = () => ({ id: randomUUID(), time: new Date().toISOString() });
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('redeliverDeliveries (EventBridge schedule)', () => {
  const appId = '5150';
  let github: FakeGithub;
  let env: Record<string, string>;
  beforeEach(async () => {
    const { privateKey, publicKey } = generateAppKeyPair();
    github = await startFakeGithub({ appId, publicKey });
    const tableName = `t-${randomUUID()}`;
    const endpoint = inject('dynamoDbEndpoint');
    await ensureTable(createStore({ tableName, endpoint }).table);
    // The PEM as a one-line .env value, with literal \n, as operators paste it.
    env = { GITHUB_APP_ID: appId, GITHUB_PRIVATE_KEY: privateKey.replace(/\n/g, '\\n'), GITHUB_API_URL: github.url, TABLE_NAME: tableName, DYNAMODB_ENDPOINT: endpoint };
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await github.stop();
  });

  it('redelivers the failed pull_request delivery and logs one summary line with its guid', async () => {
    // Prepare
    const failed = github.hookDeliveries.add({ statusCode: 502, deliveredAt: minutesAgo(7) });
    github.hookDeliveries.add({ statusCode: 202, deliveredAt: minutesAgo(6) });
    const info = vi.spyOn(logger, 'info');

    // Act
    const summary = await handleRedeliverySchedule(scheduled(), undefined, { env });

    // Assess
    expect(github.hookDeliveries.attempts).toEqual([{ deliveryId: failed.id, guid: failed.guid }]);
    expect(summary.redelivered).toHaveLength(1);
    expect(info).toHaveBeenCalledWith('redelivery sweep', expect.objectContaining({ listed: 2, failedGuids: 1, redelivered: 1, skippedOverCap: 0, redeliveredGuids: [failed.guid] }));
  });

  it('says so and calls nothing on GitHub when another sweep holds the lease', async () => {
    // Prepare
    github.hookDeliveries.add({ statusCode: 502, deliveredAt: minutesAgo(7) });
    await createStore({ tableName: env.TABLE_NAME ?? '', endpoint: env.DYNAMODB_ENDPOINT }).acquireSweepLease(appId, 'running-sweep', 60_000);
    const info = vi.spyOn(logger, 'info');

    // Act
    const summary = await handleRedeliverySchedule(scheduled(), undefined, { env });

    // Assess
    expect(summary.outcome).toBe('busy');
    expect(github.requests).toEqual([]);
    expect(info).toHaveBeenCalledWith('redelivery sweep skipped: another sweep holds the lease');
  });

  it('fails (for the Errors alarm) when GitHub is down, logging why without the key', async () => {
    // Prepare
    github.failNext({ method: 'GET', path: /^\/app\/hook\/deliveries/ }, Array.from({ length: 3 }, () => ({ status: 503 })));
    const error = vi.spyOn(logger, 'error');

    // Act
    const run = handleRedeliverySchedule(scheduled(), undefined, { env });

    // Assess
    await expect(run).rejects.toMatchObject({ status: 503 });
    expect(error).toHaveBeenCalledWith('redelivery sweep failed', expect.anything());
    expect(JSON.stringify(error.mock.calls)).not.toMatch(/PRIVATE KEY/);
  });

  it('names the missing GITHUB_APP_ID instead of sweeping', async () => {
    // Prepare
    const { GITHUB_APP_ID: _, ...withoutAppId } = env;

    // Act
    const run = handleRedeliverySchedule(scheduled(), undefined, { env: withoutAppId });

    // Assess
    await expect(run).rejects.toThrow(/GITHUB_APP_ID/);
    expect(github.requests).toEqual([]);
  });
});
