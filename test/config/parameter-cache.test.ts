import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createParameterCache, parameterNamesOf, type ParameterCache } from '../../lib/adapters/secrets';
import { fakeAwsEnv } from '../fakes/aws-signature';
import { startFakeSsm, type FakeSsm } from '../fakes/ssm';

describe('parameterNamesOf', () => {
  it('takes every *_PARAM value and FLUXLINE_CONFIG when it is ssm:/name, once each', () => {
    expect(
      parameterNamesOf({
        GITHUB_WEBHOOK_SECRET_PARAM: '/fluxline/prod/github-webhook-secret',
        SLACK_BOT_TOKEN_PARAM: '/fluxline/prod/slack-bot-token',
        OTHER_PARAM: '/fluxline/prod/slack-bot-token',
        EMPTY_PARAM: '',
        FLUXLINE_CONFIG: 'ssm:/fluxline/prod/config',
        TABLE_NAME: 'fluxline',
      }),
    ).toEqual(['/fluxline/prod/config', '/fluxline/prod/github-webhook-secret', '/fluxline/prod/slack-bot-token']);
  });

  it('ignores a FLUXLINE_CONFIG that is a file path', () => {
    expect(parameterNamesOf({ FLUXLINE_CONFIG: './config.yaml' })).toEqual([]);
  });
});

describe('createParameterCache', () => {
  let ssm: FakeSsm;
  let clock: number;
  let cache: ParameterCache;
  let env: Record<string, string>;

  beforeAll(async () => {
    ssm = await startFakeSsm({ parameters: { '/p/a': 'A', '/p/b': 'B', '/p/kubeconfig': 'K' } });
  });
  afterAll(() => ssm.stop());
  beforeEach(() => {
    ssm.requests.length = 0;
    clock = 1_000_000;
    cache = createParameterCache({ now: () => clock });
    env = { ...fakeAwsEnv({ ssm: ssm.url }), A_PARAM: '/p/a', B_PARAM: '/p/b' };
  });

  it('fetches the whole group of the environment on the first read of any of them', async () => {
    // Act
    expect(await cache.get(env, '/p/b')).toBe('B');
    expect(await cache.get(env, '/p/a')).toBe('A');

    // Assess
    expect(ssm.calls()).toEqual([['/p/a', '/p/b']]);
  });

  it('lets concurrent readers share the request in flight', async () => {
    // Act
    const values = await Promise.all([cache.get(env, '/p/a'), cache.preload(env), cache.get(env, '/p/b'), cache.preload(env)]);

    // Assess
    expect(values).toEqual(['A', undefined, 'B', undefined]);
    expect(ssm.calls()).toHaveLength(1);
  });

  it('fetches a name the environment does not name alone, and keeps it', async () => {
    // Act
    await cache.preload(env);
    expect(await cache.get(env, '/p/kubeconfig')).toBe('K');
    expect(await cache.get(env, '/p/kubeconfig')).toBe('K');

    // Assess
    expect(ssm.calls()).toEqual([['/p/a', '/p/b'], ['/p/kubeconfig']]);
  });

  it('keeps values five minutes, then refreshes the group in one call', async () => {
    // Prepare
    await cache.preload(env);
    ssm.put('/p/a', 'A2');

    // Act
    clock += 299_000;
    const before = await cache.get(env, '/p/a');
    clock += 2_000;
    const after = await cache.get(env, '/p/a');

    // Assess
    expect([before, after]).toEqual(['A', 'A2']);
    expect(ssm.calls()).toEqual([['/p/a', '/p/b'], ['/p/a', '/p/b']]);
  });

  it('reports a missing parameter as undefined and asks again after 30 seconds, not five minutes', async () => {
    // Prepare
    const withMissing = { ...env, C_PARAM: '/p/c' };

    // Act
    expect(await cache.get(withMissing, '/p/c')).toBeUndefined();
    ssm.put('/p/c', 'created by the operator');
    clock += 31_000;
    const later = await cache.get(withMissing, '/p/c');

    // Assess
    expect(later).toBe('created by the operator');
    expect(ssm.calls()).toEqual([['/p/a', '/p/b', '/p/c'], ['/p/c']]);
  });

  it('does not keep a failed call: the next read asks again', async () => {
    // Prepare
    ssm.failNext([{ status: 400, code: 'AccessDeniedException' }]);

    // Act
    await expect(cache.get(env, '/p/b')).rejects.toMatchObject({ name: 'ParametersUnreadable', reason: 'access-denied' });
    const retried = await cache.get(env, '/p/b');

    // Assess
    expect(retried).toBe('B');
    expect(ssm.requests.map((r) => r.status)).toEqual([400, 200]);
  });

  it('makes no call and needs no credentials when the environment names no parameter', async () => {
    await cache.preload({ TABLE_NAME: 'fluxline' });
    expect(ssm.requests).toHaveLength(0);
  });
});
