import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../lib/core/log';
import { startWorld, type World } from '../helpers/world';

const SET = 'a-secret-that-is-set-0123456789abcdef';

const configYaml = `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0STAGE: { clusters: [stage], executors: [runbooks, tickets] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
repositories: []
executors:
  runbooks: { http: { url: "http://127.0.0.1:9/runbooks", secret: { env: FLUXLINE_EXECUTOR_RUNBOOKS } } }
  tickets:  { http: { url: "http://127.0.0.1:9/tickets", secret: { env: FLUXLINE_EXECUTOR_TICKETS } } }
`;

describe('an HTTP executor whose `secret: { env }` is not set', () => {
  let world: World | undefined;

  afterEach(async () => {
    await world?.stop();
    vi.restoreAllMocks();
  });

  it('is named in one warning when the runtime starts, with the variable and never a secret value', async () => {
    // Prepare: tickets' variable is set, runbooks' is not
    const config = join(mkdtempSync(join(tmpdir(), 'fluxline-executor-secrets-')), 'config.yaml');
    writeFileSync(config, configYaml);
    const warnings = vi.spyOn(logger, 'warn');
    world = await startWorld({ FLUXLINE_CONFIG: config, FLUXLINE_EXECUTOR_TICKETS: SET });

    // Act: the runtime, asked for twice, as every request of a warm container does
    await world.runtime();
    await world.runtime();

    // Assess
    const aboutSecrets = warnings.mock.calls.filter(([message]) => typeof message === 'string' && message.includes('shared secret'));
    expect(aboutSecrets).toEqual([[expect.stringContaining('not set'), expect.objectContaining({ executor: 'runbooks', variable: 'FLUXLINE_EXECUTOR_RUNBOOKS' })]]);
    expect(JSON.stringify(warnings.mock.calls)).not.toContain(SET);
  });
});
