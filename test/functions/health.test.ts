import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handleHealth, clearReadinessCache } from '../../functions/health';
import { clearParameterCache } from '../../lib/adapters/secrets';
import { fakeAwsEnv } from '../fakes/aws-signature';
import { startFakeSsm, type FakeSsm } from '../fakes/ssm';

const P = '/fluxline/prod';
const SECRET_VALUES = { appId: '123456', key: '-----BEGIN RSA PRIVATE KEY-----\nMIIfake\n-----END RSA PRIVATE KEY-----', token: 'xoxb-health-token' };
const CONFIG = ['slack: { channel: C0FLUX }', 'clusters:', `  stage: { kubeconfig: { ssm: ${P}/kubeconfig/stage } }`, 'repositories: []'].join('\n');

function healthEvent(query: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: 'GET /health',
    rawPath: '/health',
    rawQueryString,
    headers: {},
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'example',
      http: { method: 'GET', path: '/health', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'curl/8' },
      requestId: 'req-1',
      routeKey: 'GET /health',
      stage: '$default',
      time: '07/Dec/2026:03:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

/** GET /health?deep=1: what an operator runs after a deploy to learn what is missing, before any user does. */
describe('GET /health', () => {
  let ssm: FakeSsm;
  let env: Record<string, string>;

  beforeAll(async () => {
    ssm = await startFakeSsm();
  });
  afterAll(() => ssm.stop());
  beforeEach(() => {
    clearParameterCache();
    clearReadinessCache();
    ssm.requests.length = 0;
    ssm.put(`${P}/config`, { value: CONFIG, type: 'String' });
    ssm.put(`${P}/github-app-id`, { value: SECRET_VALUES.appId, type: 'String' });
    ssm.put(`${P}/github-private-key`, SECRET_VALUES.key);
    ssm.put(`${P}/slack-bot-token`, SECRET_VALUES.token);
    ssm.put(`${P}/kubeconfig/stage`, 'apiVersion: v1');
    env = { ...fakeAwsEnv({ ssm: ssm.url }), FLUXLINE_CONFIG: `ssm:${P}/config`, READINESS_PARAMETERS: `${P}/github-app-id,${P}/github-private-key,${P}/slack-bot-token` };
  });

  it('answers a plain probe from memory, without calling SSM', async () => {
    const response = await handleHealth(healthEvent(), { env });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual({ status: 'ok' });
    expect(ssm.requests).toHaveLength(0);
  });

  it('reads every parameter and the config once when asked deep, and says all is well', async () => {
    // Act
    const response = await handleHealth(healthEvent({ deep: '1' }), { env });

    // Assess
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(String(response.body)) as { status: string; checked: string[] };
    expect(body.status).toBe('ok');
    expect(body.checked).toEqual([`${P}/config`, `${P}/github-app-id`, `${P}/github-private-key`, `${P}/kubeconfig/stage`, `${P}/slack-bot-token`]);
    // The secrets are looked at without decryption: the route never holds their values.
    const secretCalls = ssm.requests.filter((r) => JSON.stringify(r.input).includes('slack-bot-token'));
    expect(secretCalls.map((r) => (r.input as { WithDecryption: boolean }).WithDecryption)).toEqual([false]);
    for (const value of Object.values(SECRET_VALUES)) expect(String(response.body)).not.toContain(value.slice(0, 12));
  });

  it('names each missing parameter with its region, and each bad config key, in one answer', async () => {
    // Prepare
    ssm.put(`${P}/config`, { value: `${CONFIG}\ngitops: { repository: acme/fleet, mode: yolo }`, type: 'String' });
    const withTypo = { ...env, READINESS_PARAMETERS: `${P}/github-app-id,${P}/github-private-key,${P}/slack-bot-tokn` };
    ssm.put(`${P}/kubeconfig/stage`, 'apiVersion: v1');

    // Act
    const response = await handleHealth(healthEvent({ deep: '1' }), { env: withTypo });

    // Assess
    expect(response.statusCode).toBe(503);
    const body = JSON.parse(String(response.body)) as { status: string; problems: string[] };
    expect(body.status).toBe('failing');
    expect(body.problems).toEqual([
      expect.stringMatching(new RegExp(`SSM parameter not found in eu-west-1: ${P}/slack-bot-tokn`)),
      expect.stringMatching(/Invalid Fluxline config in ssm:\/fluxline\/prod\/config:\n {2}- gitops\.mode: /),
    ]);
  });

  it('names a kubeconfig the config refers to that SSM does not have', async () => {
    // Prepare
    ssm.put(`${P}/config`, { value: CONFIG.replace('kubeconfig/stage', 'kubeconfig/staging'), type: 'String' });

    // Act
    const response = await handleHealth(healthEvent({ deep: '1' }), { env });

    // Assess
    expect(response.statusCode).toBe(503);
    expect(String(response.body)).toContain(`not found in eu-west-1: ${P}/kubeconfig/staging`);
  });

  it("names an HTTP executor's secret the config refers to that SSM does not have", async () => {
    // Prepare
    const executors = ['executors:', `  runbooks: { http: { url: https://runbooks.internal/fluxline, secret: { ssm: ${P}/executors/runbooks } } }`].join('\n');
    ssm.put(`${P}/config`, { value: `${CONFIG}\n${executors}`, type: 'String' });

    // Act
    const response = await handleHealth(healthEvent({ deep: '1' }), { env });

    // Assess
    expect(response.statusCode).toBe(503);
    expect(String(response.body)).toContain(`not found in eu-west-1: ${P}/executors/runbooks`);
  });

  it("looks at an HTTP executor's secret by name, without decrypting it, and lists it as checked", async () => {
    // Prepare
    const executors = ['executors:', `  runbooks: { http: { url: https://runbooks.internal/fluxline, secret: { ssm: ${P}/executors/runbooks } } }`].join('\n');
    ssm.put(`${P}/config`, { value: `${CONFIG}\n${executors}`, type: 'String' });
    ssm.put(`${P}/executors/runbooks`, 'runbooks-shared-secret-value');

    // Act
    const response = await handleHealth(healthEvent({ deep: '1' }), { env });

    // Assess
    expect(response.statusCode).toBe(200);
    expect((JSON.parse(String(response.body)) as { checked: string[] }).checked).toContain(`${P}/executors/runbooks`);
    const secretCalls = ssm.requests.filter((r) => JSON.stringify(r.input).includes('executors/runbooks'));
    expect(secretCalls.map((r) => (r.input as { WithDecryption: boolean }).WithDecryption)).toEqual([false]);
    expect(String(response.body)).not.toContain('runbooks-shared-secret-value');
  });

  it("names an HTTP executor whose secret is npm start's environment variable, which no deployed worker has", async () => {
    // Prepare
    const executors = ['executors:', '  runbooks: { http: { url: https://runbooks.internal/fluxline, secret: { env: FLUXLINE_EXECUTOR_RUNBOOKS } } }'].join('\n');
    ssm.put(`${P}/config`, { value: `${CONFIG}\n${executors}`, type: 'String' });

    // Act
    const response = await handleHealth(healthEvent({ deep: '1' }), { env: { ...env, FLUXLINE_EXECUTOR_RUNBOOKS: 'set-here-but-not-in-lambda' } });

    // Assess
    expect(response.statusCode).toBe(503);
    expect(String(response.body)).toContain('executors.runbooks.http.secret.env is for npm start only');
    expect(String(response.body)).not.toContain('set-here-but-not-in-lambda');
  });

  it('says the role may not read a parameter, without quoting the account or role', async () => {
    // Prepare
    ssm.failNext([
      {
        status: 400,
        code: 'AccessDeniedException',
        message: `User: arn:aws:sts::123456789012:assumed-role/r/health is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-1:123456789012:parameter${P}/github-private-key because no identity-based policy allows the ssm:GetParameters action`,
      },
    ]);

    // Act
    const response = await handleHealth(healthEvent({ deep: '1' }), { env });

    // Assess
    expect(response.statusCode).toBe(503);
    expect(String(response.body)).toContain(`SSM parameter ${P}/github-private-key in eu-west-1 could not be read: access denied`);
    expect(String(response.body)).not.toContain('123456789012');
  });

  it('checks at most once per 30 seconds per container, however often it is asked', async () => {
    await handleHealth(healthEvent({ deep: '1' }), { env });
    const calls = ssm.requests.length;
    await handleHealth(healthEvent({ deep: '1' }), { env });
    expect(ssm.requests.length).toBe(calls);
  });
});
