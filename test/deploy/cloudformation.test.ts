// What a platform team trusts when it deploys Fluxline, proved on the CloudFormation that
// `serverless package --stage prod` generates (offline: no AWS account is reachable from CI).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  functionLogicalId,
  mayRead,
  packageStack,
  readableParameters,
  resourcesOf,
  resourcesOfType,
  roleOf,
  ROOT,
  statementsOf,
  type CfnResource,
  type Template,
} from './template';
import { JOBS_RETRY_POLICY } from '../../lib/flows/jobs';

const FAKE_FLUX_LAYER = 'arn:aws:lambda:eu-west-1:123456789012:layer:flux-2-9-5:7';
/** The config.yaml the deploy names (FLUXLINE_DEPLOY_CONFIG): its out-of-process executors shape the worker's role. */
const DEPLOY_CONFIG = 'test/fixtures/deploy/config-with-executors.yaml';
const FUNCTIONS = ['githubWebhook', 'githubDeliveries', 'slack', 'slackRequests', 'fluxEvents', 'health', 'worker', 'redeliverDeliveries'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

const TABLE = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'];
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
/** kms:Decrypt is granted only under a customer managed key (a condition), and only through SSM. */
const SECRETS = ['ssm:GetParameters', 'kms:Decrypt'];
/** What an SQS event source mapping does with its function's role, and the consumer's backoff of a failed message. */
const CONSUME = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'];

/** X-Ray, granted only when the stage's `tracing` param is true (a condition). */
const TRACES = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
/** The worker's network interfaces, granted only when it runs in a VPC (a condition). */
const ENI = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'];
/** The statements whose Resource is `*` because the service has no resource-level permission for them; each under a condition. */
const WILDCARD_SIDS: Record<string, string> = { SendTraces: 'TracingEnabled', VpcNetworkInterfaces: 'WorkerInVpc' };

/** Exactly what each function's role may do (issue #6: "only the actions it uses"). */
const EXPECTED_ACTIONS: Record<FunctionName, string[]> = {
  // The ingress functions queue and read their secret (and, for slack, the config): no table.
  githubWebhook: ['sqs:SendMessage', ...SECRETS, ...TRACES, ...LOGS],
  githubDeliveries: [...TABLE, ...CONSUME, 'sqs:SendMessage', ...SECRETS, ...TRACES, ...LOGS],
  slack: ['sqs:SendMessage', ...SECRETS, ...TRACES, ...LOGS],
  slackRequests: [...TABLE, ...CONSUME, 'sqs:SendMessage', ...SECRETS, ...TRACES, ...LOGS],
  // It queues the worker's status read of each new deployment (issue #23).
  fluxEvents: [...TABLE, 'sqs:SendMessage', ...SECRETS, ...TRACES, ...LOGS],
  // GET /health?deep=1 looks at every parameter (kms:Decrypt: the config only, and an explicit Deny of the rest).
  health: [...SECRETS, ...TRACES, ...LOGS],
  // lambda:InvokeFunction: the Lambda executors of the packaged config.yaml (FLUXLINE_DEPLOY_CONFIG) only.
  worker: [...TABLE, ...CONSUME, ...SECRETS, 'eks:DescribeCluster', 'lambda:InvokeFunction', ...ENI, ...TRACES, ...LOGS],
  redeliverDeliveries: ['dynamodb:GetItem', 'dynamodb:UpdateItem', ...SECRETS, ...TRACES, ...LOGS],
};

const P = '/fluxline/prod';
/** Parameters config.yaml names (the HTTP executors' secrets of DEPLOY_CONFIG), which no environment variable does. */
const CONFIG_NAMED_PARAMETERS = [`${P}/executors/runbooks`];
/** Exactly which SSM parameters each role may read. */
const EXPECTED_PARAMETERS: Record<FunctionName, string[]> = {
  githubWebhook: [`${P}/github-webhook-secret`],
  githubDeliveries: [`${P}/config`, `${P}/github-app-id`, `${P}/github-private-key`, `${P}/slack-bot-token`],
  slack: [`${P}/config`, `${P}/slack-signing-secret`],
  slackRequests: [`${P}/config`, `${P}/slack-bot-token`],
  fluxEvents: [`${P}/config`, `${P}/flux-webhook-token`, `${P}/slack-bot-token`],
  health: [`${P}/config`, `${P}/executors/runbooks`, `${P}/flux-webhook-token`, `${P}/github-app-id`, `${P}/github-private-key`, `${P}/github-webhook-secret`, `${P}/kubeconfig/*`, `${P}/slack-bot-token`, `${P}/slack-signing-secret`],
  worker: [`${P}/config`, `${P}/executors/runbooks`, `${P}/github-app-id`, `${P}/github-private-key`, `${P}/kubeconfig/*`, `${P}/slack-bot-token`],
  redeliverDeliveries: [`${P}/github-app-id`, `${P}/github-private-key`],
};

/** Shapes of secret values: none may appear anywhere in the template. */
const SECRET_SHAPES: [string, RegExp][] = [
  ['Slack token', /xox[abposr]-[0-9A-Za-z-]+/],
  ['PEM private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['GitHub token', /\bgh[pousr]_[0-9A-Za-z]{20,}/],
  ['AWS access key', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['kubeconfig', /client-key-data|client-certificate-data|\btoken: \S/],
  ['long base64 or hex string', /[A-Za-z0-9+]{40,}={0,2}/],
];
/** In an environment value (names and paths with separators), even 32 opaque characters are a secret's shape (Slack's signing secret). */
const OPAQUE_VALUE: [string, RegExp] = ['opaque string', /[A-Za-z0-9+/=_]{32,}/];
/** Variables that hold a secret's value locally; deployed functions may only have `<NAME>_PARAM`. */
const PLAIN_SECRET_VARIABLES = ['GITHUB_PRIVATE_KEY', 'GITHUB_WEBHOOK_SECRET', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'FLUX_WEBHOOK_TOKEN'];

let template: Template;
let packageDir = '';

const fn = (name: FunctionName): CfnResource => {
  const resource = template.Resources[functionLogicalId(name)];
  if (!resource) throw new Error(`no function ${name} in the template`);
  return resource;
};
const roleOfFunction = (name: FunctionName): CfnResource => {
  const role = template.Resources[roleOf(fn(name))];
  if (!role) throw new Error(`the role of ${name} is not in the template`);
  return role;
};
const environmentOf = (name: FunctionName) => ((fn(name).Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});

beforeAll(async () => {
  const packaged = await packageStack('prod', { fluxLayerArn: FAKE_FLUX_LAYER, region: 'eu-west-1', deployConfig: DEPLOY_CONFIG });
  template = packaged.template;
  packageDir = packaged.dir;
  console.info(`serverless package --stage prod: ${packaged.seconds.toFixed(1)} s`);
}, 240_000);

afterAll(() => {
  if (packageDir) rmSync(packageDir, { recursive: true, force: true });
});

describe('serverless package --stage prod', () => {
  it('zips every function of DESIGN §1 on nodejs22.x arm64 with per-stage names', () => {
    expect(readdirSync(packageDir).filter((f) => f.endsWith('.zip')).sort()).toEqual(FUNCTIONS.map((f) => `${f}.zip`).sort());
    expect(Object.keys(resourcesOfType(template, 'AWS::Lambda::Function')).sort()).toEqual(FUNCTIONS.map(functionLogicalId).sort());
    for (const name of FUNCTIONS) {
      expect(fn(name).Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], FunctionName: `fluxline-prod-${name}` });
    }
    expect(template.Resources.Table?.Properties.TableName).toBe('fluxline-prod');
    expect(template.Resources.JobsQueue?.Properties.QueueName).toBe('fluxline-prod-jobs');
    expect(template.Resources.GithubDeliveriesQueue?.Properties.QueueName).toBe('fluxline-prod-github-deliveries.fifo');
    expect(template.Resources.SlackRequestsQueue?.Properties.QueueName).toBe('fluxline-prod-slack-requests');
  });

  it('routes each HTTP endpoint to its function', () => {
    const routes = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route')).map((route) => {
      const target = JSON.stringify(route.Properties.Target);
      const integrationId = /HttpApiIntegration\w+/.exec(target)?.[0] ?? '';
      const uri = JSON.stringify(template.Resources[integrationId]?.Properties.IntegrationUri);
      return [route.Properties.RouteKey, /"(\w+)LambdaFunction"/.exec(uri)?.[1]];
    });
    expect(Object.fromEntries(routes)).toEqual({
      'POST /github/webhook': 'GithubWebhook',
      'POST /slack/commands': 'Slack',
      'POST /slack/interactions': 'Slack',
      'POST /slack/events': 'Slack',
      'POST /flux/events/{cluster}': 'FluxEvents',
      'GET /health': 'Health',
    });
  });

  it('answers Flux within the 15 s of DESIGN §2 and gives the worker a long timeout', () => {
    expect(fn('fluxEvents').Properties.Timeout).toBeLessThanOrEqual(15);
    expect(fn('githubWebhook').Properties.Timeout).toBeLessThanOrEqual(10);
    expect(fn('worker').Properties.Timeout).toBeGreaterThanOrEqual(300);
  });
});

describe('least privilege', () => {
  it('gives every function a role of its own, trusted by Lambda alone', () => {
    const roles = FUNCTIONS.map((name) => roleOf(fn(name)));
    expect(new Set(roles).size).toBe(FUNCTIONS.length);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    for (const role of roles) {
      expect(template.Resources[role]?.Type).toBe('AWS::IAM::Role');
      expect(template.Resources[role]?.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
      expect(template.Resources[role]?.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it.each(FUNCTIONS)('allows %s exactly the actions it uses', (name) => {
    const actions = statementsOf(roleOfFunction(name)).flatMap(actionsOf);
    expect([...new Set(actions)].sort()).toEqual([...EXPECTED_ACTIONS[name]].sort());
    // The one Deny: health may never decrypt anything but the config.
    const denies = statementsOf(roleOfFunction(name)).filter((s) => s.Effect !== 'Allow');
    expect(denies.map((s) => s.Sid)).toEqual(name === 'health' ? ['NeverDecryptSecrets'] : []);
  });

  it('has no wildcard action anywhere in the template', () => {
    const policies = [...Object.values(resourcesOfType(template, 'AWS::IAM::Role')), ...Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))];
    expect(policies.length).toBeGreaterThanOrEqual(FUNCTIONS.length);
    const actions = policies.flatMap((role) => statementsOf(role).flatMap(actionsOf));
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it.each(FUNCTIONS)('names the table, the queue and the parameters of %s without wildcards', (name) => {
    for (const statement of statementsOf(roleOfFunction(name)).filter((s) => s.Effect === 'Allow' && !(s.Sid && s.Sid in WILDCARD_SIDS))) {
      const actions = actionsOf(statement);
      const resources = resourcesOf(statement);
      expect(resources).not.toContain('*');
      // The sweep queries nothing, so it has no grant on the index.
      if (actions.some((a) => a.startsWith('dynamodb:'))) expect(resources).toEqual(name === 'redeliverDeliveries' ? ['GetAtt:Table.Arn'] : ['GetAtt:Table.Arn', '${Table.Arn}/index/gsi1']);
      // Each sqs statement names one queue: what the function sends to, or what it consumes.
      if (actions.some((a) => a.startsWith('sqs:'))) expect(resources).toEqual([expect.stringMatching(/^GetAtt:(JobsQueue|GithubDeliveriesQueue|SlackRequestsQueue)\.Arn$/)]);
      if (actions.some((a) => a.startsWith('logs:'))) expect(resources).toEqual([`GetAtt:${functionLogicalId(name).replace('LambdaFunction', 'LogGroup')}.Arn`]);
      if (actions.some((a) => a.startsWith('ssm:'))) {
        for (const arn of resources) {
          expect(arn).toMatch(/^arn:\$\{AWS::Partition\}:ssm:\$\{AWS::Region\}:\$\{AWS::AccountId\}:parameter\/fluxline\/prod\/([a-z-]+|executors\/[a-z-]+)(\/\*)?$/);
          // The one prefix grant: kubeconfig names come from config.yaml.
          if (arn.includes('*')) expect(arn).toMatch(/:parameter\/fluxline\/prod\/kubeconfig\/\*$/);
        }
      }
    }
  });

  it.each(FUNCTIONS)('grants %s the unscoped X-Ray and network-interface actions only under their conditions', (name) => {
    const statements = (roleOfFunction(name).Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])[0]?.PolicyDocument.Statement ?? [];
    for (const statement of statements) {
      const text = JSON.stringify(statement);
      const sid = Object.keys(WILDCARD_SIDS).find((id) => text.includes(`"Sid":"${id}"`));
      if (!sid) continue;
      expect((statement['Fn::If'] as unknown[] | undefined)?.[0], `${name} ${sid}`).toBe(WILDCARD_SIDS[sid]);
    }
    expect(template.Conditions?.TracingEnabled).toEqual({ 'Fn::Equals': ['tracing=false', 'tracing=true'] });
    expect(template.Conditions?.WorkerInVpc).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it.each(FUNCTIONS)('lets %s read exactly its own parameters', (name) => {
    expect(readableParameters(roleOfFunction(name))).toEqual([...EXPECTED_PARAMETERS[name]].sort());
  });

  it('lets only the worker read cluster credentials and describe EKS clusters', () => {
    // health may look at them (GetParameters without decryption) but never decrypt them: NeverDecryptSecrets.
    const withClusterAccess = FUNCTIONS.filter((name) => name !== 'health' && mayRead(roleOfFunction(name), `${P}/kubeconfig/stage`));
    const withEks = FUNCTIONS.filter((name) => statementsOf(roleOfFunction(name)).some((s) => actionsOf(s).includes('eks:DescribeCluster')));
    expect(withClusterAccess).toEqual(['worker']);
    expect(withEks).toEqual(['worker']);
  });

  it("lets only the worker invoke Lambda, and only the executor functions of the deployed config.yaml, each exactly as named there", () => {
    const invoking = FUNCTIONS.filter((name) => statementsOf(roleOfFunction(name)).some((s) => actionsOf(s).some((a) => a.startsWith('lambda:'))));
    const grants = statementsOf(roleOfFunction('worker')).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));

    expect(invoking).toEqual(['worker']);
    expect(grants.map((s) => [s.Sid, actionsOf(s), resourcesOf(s)])).toEqual([
      ['InvokeExecutorFunctions', ['lambda:InvokeFunction'], ['arn:aws:lambda:eu-west-1:123456789012:function:fluxline-ops', 'arn:aws:lambda:eu-west-1:123456789012:function:fluxline-ops:live']],
    ]);
  });

  it("lets only the worker read an HTTP executor's shared secret, and health look at it without decrypting it", () => {
    expect(FUNCTIONS.filter((name) => mayRead(roleOfFunction(name), `${P}/executors/runbooks`))).toEqual(['health', 'worker']);
    expect(FUNCTIONS.filter((name) => mayRead(roleOfFunction(name), `${P}/executors/other`))).toEqual([]);
    // GET /health?deep=1 asks without decryption, and NeverDecryptSecrets denies health every value but config.yaml's.
    expect(statementsOf(roleOfFunction('health')).map((s) => s.Sid)).toContain('NeverDecryptSecrets');
  });

  it('lets only the deliveries consumer, the worker and the redelivery sweep read the GitHub App private key', () => {
    expect(FUNCTIONS.filter((name) => name !== 'health' && mayRead(roleOfFunction(name), `${P}/github-private-key`))).toEqual(['githubDeliveries', 'worker', 'redeliverDeliveries']);
  });

  it('lets each ingress function send to its own queue only, and each consumer consume its own', () => {
    const queuesOf = (name: FunctionName, action: string) =>
      statementsOf(roleOfFunction(name))
        .filter((s) => actionsOf(s).includes(action))
        .flatMap(resourcesOf);
    expect(queuesOf('githubWebhook', 'sqs:SendMessage')).toEqual(['GetAtt:GithubDeliveriesQueue.Arn']);
    expect(queuesOf('slack', 'sqs:SendMessage')).toEqual(['GetAtt:SlackRequestsQueue.Arn']);
    expect(queuesOf('githubDeliveries', 'sqs:ReceiveMessage')).toEqual(['GetAtt:GithubDeliveriesQueue.Arn']);
    expect(queuesOf('slackRequests', 'sqs:ReceiveMessage')).toEqual(['GetAtt:SlackRequestsQueue.Arn']);
    expect(queuesOf('worker', 'sqs:ReceiveMessage')).toEqual(['GetAtt:JobsQueue.Arn']);
    expect(queuesOf('githubDeliveries', 'sqs:SendMessage')).toEqual(['GetAtt:JobsQueue.Arn']);
    expect(queuesOf('slackRequests', 'sqs:SendMessage')).toEqual(['GetAtt:JobsQueue.Arn']);
  });

  it("limits the redelivery sweep to the table's REDELIVERY# items", () => {
    const table = statementsOf(roleOfFunction('redeliverDeliveries')).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(table).toHaveLength(1);
    expect(table[0]?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REDELIVERY#*'] } });
  });

  it('decrypts parameters only with the configured key, only through SSM, and not at all by default', () => {
    // Empty or `aws/ssm` (the AWS managed key, said explicitly) need no statement.
    const kmsKeyCondition = template.Conditions?.UsesParametersKmsKey;
    expect(kmsKeyCondition).toEqual({ 'Fn::Not': [{ 'Fn::Or': [{ 'Fn::Equals': ['', ''] }, { 'Fn::Equals': ['', 'aws/ssm'] }] }] });
    for (const name of FUNCTIONS) {
      const policy = (roleOfFunction(name).Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])[0];
      for (const statement of policy?.PolicyDocument.Statement ?? []) {
        if (!JSON.stringify(statement).includes('kms:')) continue;
        if (name === 'health') continue; // its own test below
        // Only ever inside Fn::If on that condition, on one key, with kms:ViaService.
        expect(statement).toEqual({
          'Fn::If': [
            'UsesParametersKmsKey',
            { Sid: 'DecryptParametersViaSsm', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '', Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com' } } } },
            { Ref: 'AWS::NoValue' },
          ],
        });
      }
    }
  });

  it('lets health decrypt the config alone: an explicit Deny of every other decryption beats the aws/ssm key policy', () => {
    const statements = (roleOfFunction('health').Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[])[0]?.PolicyDocument.Statement ?? [];
    const configArn = { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/fluxline/prod/config' };
    expect(statements).toContainEqual({
      'Fn::If': [
        'UsesParametersKmsKey',
        {
          Sid: 'DecryptConfigViaSsm',
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: '',
          Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com' }, 'kms:EncryptionContext:PARAMETER_ARN': configArn } },
        },
        { Ref: 'AWS::NoValue' },
      ],
    });
    expect(statements).toContainEqual({ Sid: 'NeverDecryptSecrets', Effect: 'Deny', Action: ['kms:Decrypt'], Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionContext:PARAMETER_ARN': configArn } } });
  });

  it.each(FUNCTIONS)('gives %s the names of the parameters its role may read, and no others', (name) => {
    const environment = environmentOf(name);
    const named = Object.entries(environment)
      .filter(([key]) => key.endsWith('_PARAM'))
      .map(([, value]) => String(value));
    if (typeof environment.FLUXLINE_CONFIG === 'string') named.push(environment.FLUXLINE_CONFIG.replace(/^ssm:/, ''));
    if (typeof environment.READINESS_PARAMETERS === 'string') named.push(...environment.READINESS_PARAMETERS.split(','));
    for (const parameter of named) expect(mayRead(roleOfFunction(name), parameter), `${name} reads ${parameter}`).toBe(true);
    // Kubeconfigs (a prefix) and executor secrets are named by config.yaml, not by the environment.
    const grantedSecrets = readableParameters(roleOfFunction(name)).filter((p) => !p.endsWith('/config') && !p.includes('*') && !CONFIG_NAMED_PARAMETERS.includes(p));
    expect(named.filter((p) => !p.endsWith('/config')).sort()).toEqual(grantedSecrets);
  });

  it('grants the table actions that lib/adapters/store sends, and no more', () => {
    // A new DynamoDB command in the store must come with its grant in infra/aws/roles.yml.
    const toAction: Record<string, string> = {
      Get: 'GetItem',
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      Query: 'Query',
      Scan: 'Scan',
      BatchGet: 'BatchGetItem',
      BatchWrite: 'BatchWriteItem',
      TransactWrite: 'TransactWriteItems',
      TransactGet: 'TransactGetItems',
    };
    // ensureTable (lib/adapters/store/client.ts) creates the table on DynamoDB Local only (npm start, tests, bench); in AWS the stack does.
    const localOnly = new Set(['CreateTable', 'DescribeTable']);
    const storeDir = join(ROOT, 'lib/adapters/store');
    const sent = new Set<string>();
    for (const file of readdirSync(storeDir)) {
      for (const [, command] of readFileSync(join(storeDir, file), 'utf8').matchAll(/new (\w+)Command\(/g)) {
        if (command && !localOnly.has(command)) sent.add(`dynamodb:${toAction[command] ?? command}`);
      }
    }
    expect([...sent].sort()).toEqual([...TABLE].sort());
  });
});

describe('serverless package --stage prod without out-of-process executors', () => {
  let bare: Template;
  let bareDir = '';

  beforeAll(async () => {
    // Prepare: no FLUXLINE_DEPLOY_CONFIG, as a deploy of only built-in executors (or a first deploy) runs.
    const packaged = await packageStack('prod', { fluxLayerArn: FAKE_FLUX_LAYER, region: 'eu-west-1' });
    bare = packaged.template;
    bareDir = packaged.dir;
  }, 240_000);

  afterAll(() => {
    if (bareDir) rmSync(bareDir, { recursive: true, force: true });
  });

  it('leaves the executor statements out of the template rather than list a bare AWS::NoValue, which CloudFormation honours only inside Fn::If', () => {
    // Act
    const roles = resourcesOfType(bare, 'AWS::IAM::Role');
    const bareNoValues = Object.entries(roles).flatMap(([logicalId, role]) =>
      ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: unknown[] } }[]).flatMap((policy) =>
        policy.PolicyDocument.Statement.filter((statement) => JSON.stringify(statement) === JSON.stringify({ Ref: 'AWS::NoValue' })).map(() => logicalId),
      ),
    );

    // Assess
    expect(Object.keys(roles)).toContain('WorkerRole');
    expect(bareNoValues).toEqual([]);
  });

  it('lets the worker invoke no function and read no executor secret', () => {
    const worker = bare.Resources.WorkerRole;
    if (!worker) throw new Error('no WorkerRole in the template');
    const sids = statementsOf(worker).map((s) => s.Sid);

    expect(sids).not.toContain('InvokeExecutorFunctions');
    expect(sids).not.toContain('ReadExecutorSecrets');
    expect(statementsOf(worker).flatMap(actionsOf)).not.toContain('lambda:InvokeFunction');
  });
});

describe('secrets', () => {
  it.each(FUNCTIONS)('keeps secret values out of the environment of %s', (name) => {
    const environment = environmentOf(name);
    for (const variable of PLAIN_SECRET_VARIABLES) expect(environment).not.toHaveProperty(variable);
    for (const [key, value] of Object.entries(environment)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      for (const [shape, pattern] of [...SECRET_SHAPES, OPAQUE_VALUE]) expect(pattern.test(text), `${name} ${key} looks like a ${shape}`).toBe(false);
      if (key.endsWith('_PARAM')) expect(text).toMatch(/^\/fluxline\/prod\/[a-z-]+$/);
    }
  });

  it('has nothing shaped like a secret anywhere in the template', () => {
    // Logical ids are names serverless builds (`RedeliverDeliveriesLambdaPermissionEventsRuleSchedule1` is 54 letters), not values.
    const ids = Object.keys(template.Resources).sort((a, b) => b.length - a.length);
    const text = ids.reduce((json, id) => json.replaceAll(id, 'LogicalId'), JSON.stringify(template));
    for (const [shape, pattern] of SECRET_SHAPES) expect(pattern.exec(text)?.[0], shape).toBeUndefined();
  });

  it('does not tell the ingress functions where the GitHub key, the bot token or the table is, nor health a secret to read', () => {
    for (const ingress of ['githubWebhook', 'slack'] as const) {
      expect(Object.keys(environmentOf(ingress)).filter((key) => ['GITHUB_PRIVATE_KEY_PARAM', 'SLACK_BOT_TOKEN_PARAM', 'TABLE_NAME'].includes(key))).toEqual([]);
    }
    expect(environmentOf('fluxEvents')).not.toHaveProperty('GITHUB_PRIVATE_KEY_PARAM');
    // health gets names to look at (READINESS_PARAMETERS), no `*_PARAM` that readSecret would decrypt.
    expect(Object.keys(environmentOf('health')).filter((key) => key.endsWith('_PARAM'))).toEqual([]);
  });
});

describe('jobs queue', () => {
  it('dead-letters a job message after 5 receives, as the worker\'s retry policy counts, and keeps it 14 days', () => {
    expect(template.Resources.JobsQueue?.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['JobsDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 });
    expect(JOBS_RETRY_POLICY.maxReceives).toBe(5);
    expect(template.Resources.JobsDeadLetterQueue?.Type).toBe('AWS::SQS::Queue');
    expect(template.Resources.JobsDeadLetterQueue?.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it('hides a message for at least 6 times the worker timeout', () => {
    const timeout = Number(fn('worker').Properties.Timeout);
    expect(Number(template.Resources.JobsQueue?.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('feeds the worker one job at a time, with partial batch responses and a concurrency cap', () => {
    const mappings = Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes('JobsQueue'));
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] },
      FunctionName: { 'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: expect.any(Number) },
    });
    // The mapping polls with the worker's role: it must exist first.
    expect(mappings[0]?.DependsOn).toContain(roleOf(fn('worker')));
  });
});

describe('ingress queues', () => {
  it('keeps each PR\'s deliveries in order in a FIFO queue, deduplicated by delivery id, dead-lettered after 8 receives', () => {
    expect(template.Resources.GithubDeliveriesQueue?.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['GithubDeliveriesDeadLetterQueue', 'Arn'] }, maxReceiveCount: 8 },
    });
    expect(template.Resources.GithubDeliveriesDeadLetterQueue?.Properties).toMatchObject({ FifoQueue: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('dead-letters a Slack request after 8 receives', () => {
    expect(template.Resources.SlackRequestsQueue?.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['SlackRequestsDeadLetterQueue', 'Arn'] }, maxReceiveCount: 8 });
  });

  it.each([
    ['githubDeliveries', 'GithubDeliveriesQueue'],
    ['slackRequests', 'SlackRequestsQueue'],
  ] as const)('feeds %s from its queue with partial batch responses, hiding a message 6 times its timeout', (name, queue) => {
    const [mapping, ...more] = Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes(`"${queue}"`));
    expect(more).toHaveLength(0);
    expect(mapping?.Properties).toMatchObject({ FunctionName: { 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: expect.any(Number) } });
    expect(Number(template.Resources[queue]?.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * Number(fn(name).Properties.Timeout));
  });

  it('tells each ingress function the URL of its queue', () => {
    expect(environmentOf('githubWebhook').GITHUB_DELIVERIES_QUEUE_URL).toEqual({ Ref: 'GithubDeliveriesQueue' });
    expect(environmentOf('slack').SLACK_REQUESTS_QUEUE_URL).toEqual({ Ref: 'SlackRequestsQueue' });
  });
});

describe('redelivery schedule', () => {
  it('runs the sweep every 5 minutes by default, invoked by EventBridge alone', () => {
    const rules = Object.entries(resourcesOfType(template, 'AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0] ?? [];
    expect(rule?.Properties).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED', Targets: [{ Arn: { 'Fn::GetAtt': [functionLogicalId('redeliverDeliveries'), 'Arn'] } }] });
    const permissions = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission')).filter((p) => p.Properties.Principal === 'events.amazonaws.com');
    expect(permissions.map((p) => p.Properties)).toEqual([
      { FunctionName: { 'Fn::GetAtt': [functionLogicalId('redeliverDeliveries'), 'Arn'] }, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] } },
    ]);
  });

  it('reads the schedule from the redeliverySchedule param', () => {
    const serverlessYml = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');
    expect(serverlessYml).toMatch(/^ {4}redeliverySchedule: rate\(5 minutes\)$/m);
    expect(serverlessYml).toMatch(/^ {10}rate: \$\{param:redeliverySchedule\}$/m);
  });

  it('outlasts no lease: the function times out before the 5-minute lease of lib/flows/redeliveries runs out', () => {
    expect(Number(fn('redeliverDeliveries').Properties.Timeout)).toBeLessThan(300);
  });
});

describe('limits', () => {
  it('throttles every route at the stage (apiRateLimit, apiBurstLimit), and the unauthenticated deep health check to about 1 a second', () => {
    const stage = template.Resources.HttpApiStage;
    expect(stage?.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(stage?.Properties.RouteSettings).toEqual({ 'GET /health': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 } });
    expect(stage?.DependsOn).toContain('HttpApiRouteGetHealth');
  });

  it('reserves concurrency for the worker and caps each public route\'s function only when the params say so', () => {
    const reserved = (name: FunctionName) => fn(name).Properties.ReservedConcurrentExecutions;
    expect(reserved('worker')).toEqual({ 'Fn::If': ['HasWorkerReservedConcurrency', '', { Ref: 'AWS::NoValue' }] });
    for (const name of ['githubWebhook', 'slack', 'fluxEvents'] as const) expect(reserved(name)).toEqual({ 'Fn::If': ['HasIngressReservedConcurrency', '', { Ref: 'AWS::NoValue' }] });
    for (const name of ['githubDeliveries', 'slackRequests', 'health', 'redeliverDeliveries'] as const) expect(reserved(name)).toBeUndefined();
  });
});

describe('private clusters', () => {
  it('puts the worker, and only the worker, in the subnets and security groups the params name, when they name any', () => {
    expect(fn('worker').Properties.VpcConfig).toEqual({
      'Fn::If': ['WorkerInVpc', { SubnetIds: { 'Fn::Split': [',', ''] }, SecurityGroupIds: { 'Fn::Split': [',', ''] } }, { Ref: 'AWS::NoValue' }],
    });
    expect(FUNCTIONS.filter((name) => fn(name).Properties.VpcConfig !== undefined)).toEqual(['worker']);
  });
});

describe('outputs', () => {
  it.each([
    ['GithubWebhookUrl', '/github/webhook'],
    ['SlackCommandsUrl', '/slack/commands'],
    ['SlackInteractionsUrl', '/slack/interactions'],
    ['SlackEventsUrl', '/slack/events'],
    ['FluxEventsUrl', '/flux/events/{cluster}'],
    ['HealthUrl', '/health'],
  ])('gives %s: the custom domain when there is one, else the API\'s own URL, and the route', (output, path) => {
    expect((template.Outputs?.[output] as { Value: unknown } | undefined)?.Value).toEqual({
      'Fn::Join': ['', [{ 'Fn::If': ['HasCustomDomain', 'https://', { 'Fn::Sub': 'https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}' }] }, path]],
    });
  });

  it('maps an optional custom domain (regional, TLS 1.2) to the stage', () => {
    expect(template.Resources.CustomDomain).toMatchObject({ Type: 'AWS::ApiGatewayV2::DomainName', Condition: 'HasCustomDomain', Properties: { DomainNameConfigurations: [{ EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }] } });
    expect(template.Resources.CustomDomainMapping).toMatchObject({ Type: 'AWS::ApiGatewayV2::ApiMapping', Condition: 'HasCustomDomain', Properties: { ApiId: { Ref: 'HttpApi' }, DomainName: { Ref: 'CustomDomain' }, Stage: '$default' } });
  });
});

describe('table', () => {
  it('is on demand, with point-in-time recovery, TTL on expiresAt and the GSI, and kept and protected from deletion in prod', () => {
    const table = template.Resources.Table;
    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.Properties).toMatchObject({
      DeletionProtectionEnabled: true,
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });
});

describe('flux layer', () => {
  it('is attached to the worker and to no other function', () => {
    expect(fn('worker').Properties.Layers).toEqual([FAKE_FLUX_LAYER]);
    expect(FUNCTIONS.filter((name) => fn(name).Properties.Layers !== undefined)).toEqual(['worker']);
    expect(environmentOf('worker').FLUX_BIN).toBe('/opt/bin/flux');
  });
});

describe('observability', () => {
  it.each(FUNCTIONS)('keeps the logs of %s for a bounded time', (name) => {
    const logGroup = template.Resources[functionLogicalId(name).replace('LambdaFunction', 'LogGroup')];
    expect(logGroup?.Properties).toMatchObject({ LogGroupName: `/aws/lambda/fluxline-prod-${name}`, RetentionInDays: expect.any(Number) });
  });

  it.each(['JobsDeadLetterQueue', 'GithubDeliveriesDeadLetterQueue', 'SlackRequestsDeadLetterQueue'])('alarms as soon as a message reaches %s', (queue) => {
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    const dlq = alarms.find((a) => JSON.stringify(a.Properties.Dimensions).includes(`"${queue}"`));
    expect(dlq?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each(FUNCTIONS)('alarms on errors of %s', (name) => {
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    const errors = alarms.filter((a) => a.Properties.Namespace === 'AWS/Lambda' && a.Properties.MetricName === 'Errors');
    const mine = errors.find((a) => JSON.stringify(a.Properties.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: functionLogicalId(name) } }]));
    expect(mine?.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Sum' });
  });

  const alarmsWhere = (match: (properties: Record<string, unknown>) => boolean) => Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).filter((a) => match(a.Properties));

  it('alarms on any failure a handler caught: a 5xx answered, a queue message failed, a job failed (the Failures metric)', () => {
    const [alarm, ...more] = alarmsWhere((p) => p.Namespace === 'Fluxline' && p.MetricName === 'Failures');
    expect(more).toHaveLength(0);
    // The `service` dimension set alone: lib/core/metrics/failures.ts writes every failure into that one series.
    expect(alarm?.Properties).toMatchObject({ Dimensions: [{ Name: 'service', Value: 'fluxline' }], Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
  });

  it("alarms on the HTTP API's 5xx answers of this stage", () => {
    const [alarm, ...more] = alarmsWhere((p) => p.Namespace === 'AWS/ApiGateway' && p.MetricName === '5xx');
    expect(more).toHaveLength(0);
    expect(alarm?.Properties).toMatchObject({
      Dimensions: [
        { Name: 'ApiId', Value: { Ref: 'HttpApi' } },
        { Name: 'Stage', Value: '$default' },
      ],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each([
    ['JobsQueue', 900],
    ['GithubDeliveriesQueue', 1800],
    ['SlackRequestsQueue', 1800],
  ])('alarms when the oldest message of %s waits longer than %i s (a backlog behind maximumConcurrency, or a stuck consumer)', (queue, seconds) => {
    const [alarm, ...more] = alarmsWhere((p) => p.MetricName === 'ApproximateAgeOfOldestMessage' && JSON.stringify(p.Dimensions).includes(`"${queue}"`));
    expect(more).toHaveLength(0);
    expect(alarm?.Properties).toMatchObject({ Namespace: 'AWS/SQS', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }], Statistic: 'Maximum', Threshold: seconds, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('sends alarms to the SNS topic only when one is given', () => {
    expect(template.Conditions?.HasAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    for (const alarm of Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual({ 'Fn::If': ['HasAlarmTopic', [''], { Ref: 'AWS::NoValue' }] });
    }
  });

  it('names the metrics namespace for every function', () => {
    for (const name of FUNCTIONS) expect(environmentOf(name).POWERTOOLS_METRICS_NAMESPACE).toBe('Fluxline');
  });

  it('maps stack traces to the sources in every function but the ack path and health, which skip loading the map on a cold start', () => {
    const withSourceMaps = FUNCTIONS.filter((name) => {
      const options = environmentOf(name).NODE_OPTIONS;
      return typeof options === 'string' && options.split(' ').includes('--enable-source-maps');
    });
    expect(withSourceMaps.sort()).toEqual(['fluxEvents', 'githubDeliveries', 'redeliverDeliveries', 'slackRequests', 'worker']);
  });

  it('sets LOG_LEVEL, the name lib/core/log reads, for every function', () => {
    for (const name of FUNCTIONS) expect(environmentOf(name).LOG_LEVEL).toBe('INFO');
  });

  it("writes the HTTP API's access log to a log group with a bounded retention", () => {
    expect(template.Resources.HttpApiStage?.Properties.AccessLogSettings).toMatchObject({ DestinationArn: { 'Fn::GetAtt': ['HttpApiLogGroup', 'Arn'] } });
    expect(template.Resources.HttpApiLogGroup?.Properties).toMatchObject({ RetentionInDays: expect.any(Number) });
  });
});
