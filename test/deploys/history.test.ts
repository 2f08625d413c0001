import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentHistoryText, HISTORY_ROWS } from '../../lib/flows/deploys';
import type { DeploymentRecord, Store } from '../../lib/adapters/store';
import { freshStore } from '../helpers/store';
import { aDeployment } from '../helpers/deployments';

const config = { clusters: { stage: {}, prod: {} } } as unknown as Parameters<typeof deploymentHistoryText>[0]['config'];

const deployment = (overrides: Partial<DeploymentRecord> = {}): DeploymentRecord => aDeployment({ message: '', ...overrides });

const rowsOf = (text: string) => text.split('\n').filter((line) => line.startsWith('• '));

describe('/flux history', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it(`shows the newest ${HISTORY_ROWS} deployments and says there are more`, async () => {
    // Prepare: 25 upgrades, one a minute
    for (let i = 0; i < 25; i++) await store.recordDeployment(deployment({ name: 'busy', version: `1.0.${i}`, revision: `1.0.${i}`, at: new Date(Date.UTC(2026, 10, 20, 10, i)).toISOString() }));

    // Act
    const text = await deploymentHistoryText({ config, store }, { app: 'busy' });

    // Assess
    const rows = rowsOf(text);
    expect(rows).toHaveLength(HISTORY_ROWS);
    expect(rows[0]).toContain('`1.0.24`');
    expect(rows.at(-1)).toContain('`1.0.5`');
    expect(text).toMatch(/The newest 20 are shown/);
  });

  it('shows a commit as its short sha, a promote by its requester and the Slack date in the reader’s zone', async () => {
    // Prepare
    await store.recordDeployment(deployment({ name: 'web', kind: 'Kustomization', namespace: 'flux-system', revision: 'main@sha1:9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c', version: '9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c', reason: 'ReconciliationSucceeded', by: { user: 'U0BOB', jobId: 'j', action: 'rollback' } }));

    // Act
    const [row] = rowsOf(await deploymentHistoryText({ config, store }, { app: 'web' }));

    // Assess
    expect(row).toBe('• <!date^1795168800^{date_short} {time}|2026-11-20 10:00 UTC> · `prod` · `9e1a3c5` · ReconciliationSucceeded (Kustomization flux-system/web) · <@U0BOB> (rollback)');
  });

  it('filters by environment among many rows of other clusters', async () => {
    // Prepare
    for (let i = 0; i < 30; i++) await store.recordDeployment(deployment({ name: 'mixed', cluster: 'stage', version: `2.0.${i}`, at: new Date(Date.UTC(2026, 10, 21, 10, i)).toISOString() }));
    await store.recordDeployment(deployment({ name: 'mixed', cluster: 'prod', version: '1.0.0', at: '2026-11-20T09:00:00.000Z' }));

    // Act
    const rows = rowsOf(await deploymentHistoryText({ config, store }, { app: 'mixed', environment: 'prod' }));

    // Assess
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('`1.0.0`');
  });

  it('does not mistake jobs about the app for deployments', async () => {
    // Prepare: a promote job indexes itself under the app too
    const now = new Date().toISOString();
    await store.createJob({ id: 'promote-1', kind: 'promote', status: 'queued', requester: { user: 'U0ADMIN', channel: 'C0FLUX' }, inputs: {}, subject: { app: 'solo' }, createdAt: now, updatedAt: now, attempts: 0 });

    // Act
    const text = await deploymentHistoryText({ config, store }, { app: 'solo' });

    // Assess
    expect(text).toMatch(/No deployments of `solo` are recorded yet/);
  });
});
