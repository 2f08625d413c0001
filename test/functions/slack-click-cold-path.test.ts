import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeAwsEnv, startFakeSqs, type FakeSqs } from '../fakes/sqs';
import { blockActionsBody, signedSlackEvent, slashCommandBody } from '../helpers/slack-requests';

// What the Slack ingress does before a click is answered is a Lambda cold start (bench/README.md, figure 2,
// ≤ 0.25× Bolt's). A click is verified and queued: it needs no schema (building zod/mini schemas at load was
// ~9 ms of the bundle's import) and no YAML parser (js-yaml's set-up, ~5 ms). Every call into
// lib/core/validation is recorded, and js-yaml's loading, so this fails when either comes back to module scope.
const seen = vi.hoisted(() => ({ validation: [] as string[], yamlLoaded: false }));

vi.mock('../../lib/core/validation', async (importOriginal) => {
  const real = await importOriginal<Record<string, unknown>>();
  // Only the lowercase factories (object, string, check…): the PascalCase exports are classes, which `instanceof` needs as they are.
  return Object.fromEntries(
    Object.entries(real).map(([name, value]) => [
      name,
      typeof value === 'function' && /^[a-z_]/.test(name)
        ? (...args: unknown[]) => {
            seen.validation.push(name);
            return (value as (...a: unknown[]) => unknown)(...args);
          }
        : value,
    ]),
  );
});

vi.mock('js-yaml', async (importOriginal) => {
  seen.yamlLoaded = true;
  return await importOriginal<Record<string, unknown>>();
});

const SIGNING = 'slack-signing-secret-for-cold-path-tests';

describe('Slack ingress: a click\'s cold start', () => {
  let sqs: FakeSqs;
  let env: Record<string, string>;

  beforeAll(async () => {
    sqs = await startFakeSqs();
    const dir = mkdtempSync(join(tmpdir(), 'fluxline-slack-cold-'));
    writeFileSync(join(dir, 'config.yaml'), 'slack: { channel: C0FLUX, admins: [U0ADMIN] }\nclusters:\n  stage: { kubeconfig: { file: /dev/null } }\n');
    env = { FLUXLINE_CONFIG: join(dir, 'config.yaml'), SLACK_SIGNING_SECRET: SIGNING, SLACK_REQUESTS_QUEUE_URL: sqs.queueUrl, ...fakeAwsEnv({ sqs: sqs.url }) };
  });
  afterAll(async () => {
    await sqs.stop();
  });

  it('loads the function and queues a click without building a schema or loading the YAML parser; the first command does both', async () => {
    // Prepare
    const { handleSlackRequest } = await import('../../functions/slack');
    const loaded = { validation: [...seen.validation], yamlLoaded: seen.yamlLoaded };

    // Act
    const click = await handleSlackRequest(signedSlackEvent('/slack/interactions', blockActionsBody({ actionId: 'flux-diff:0', value: 'x', messageTs: '1.1' }), { secret: SIGNING }), { env });
    const afterClick = { validation: [...seen.validation], yamlLoaded: seen.yamlLoaded };
    const help = await handleSlackRequest(signedSlackEvent('/slack/commands', slashCommandBody('help'), { secret: SIGNING }), { env });

    // Assess
    expect(loaded).toEqual({ validation: [], yamlLoaded: false });
    expect(click).toMatchObject({ statusCode: 200, body: '' });
    expect(sqs.messages.map((m) => (JSON.parse(m.body) as { kind: string }).kind)).toEqual(['interaction']);
    expect(afterClick).toEqual({ validation: [], yamlLoaded: false });
    // The same spies see the command path build its schemas and parse config.yaml: they can see a regression.
    expect(help.statusCode).toBe(200);
    expect(seen.validation).toEqual(expect.arrayContaining(['object', 'string']));
    expect(seen.yamlLoaded).toBe(true);
  });
});
