// scripts/serverless/executor-grants.cjs: what the worker's role may invoke and read for the out-of-process
// executors of the config.yaml being deployed (the packaged template is checked in cloudformation.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Grants {
  executorGrants: (env: Record<string, string | undefined>) => { functions: string[]; secrets: string[] };
}
const { executorGrants } = createRequire(import.meta.url)('../../scripts/serverless/executor-grants.cjs') as Grants;

function configFile(executors: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fluxline-grants-')), 'config.yaml');
  writeFileSync(file, `slack: { channel: C0FLUX }\nclusters: {}\nexecutors:\n${executors}\n`);
  return file;
}

describe('executor grants at package time', () => {
  it('grants nothing when the deploy names no config.yaml', () => {
    expect(executorGrants({})).toEqual({ functions: [], secrets: [] });
  });

  it("takes exactly the Lambda ARNs and the HTTP executors' secret parameters, once each, and nothing of the built-ins", () => {
    const file = configFile(`
  a: { lambda: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:b' } }
  b: { lambda: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:b' } }
  c: { http: { url: https://c.internal, secret: { ssm: /fluxline/prod/executors/c } } }
  d: { use: echo }`);

    expect(executorGrants({ FLUXLINE_DEPLOY_CONFIG: file })).toEqual({ functions: ['arn:aws:lambda:eu-west-1:123456789012:function:b'], secrets: ['/fluxline/prod/executors/c'] });
  });

  it.each([
    ['a wildcard ARN', `  a: { lambda: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:*' } }`, /executors\.a\.lambda\.arn is not a Lambda function ARN/],
    ['a wildcard secret', `  a: { http: { url: https://a.internal, secret: { ssm: /fluxline/* } } }`, /executors\.a\.http\.secret\.ssm is not an SSM parameter name/],
    ['an http executor without its secret', `  a: { http: { url: https://a.internal } }`, /executors\.a\.http\.secret\.ssm is not an SSM parameter name/],
    ['a secret from the environment, which only npm start has', `  a: { http: { url: https://a.internal, secret: { env: FLUXLINE_EXECUTOR_A } } }`, /executors\.a\.http\.secret\.env is for npm start only/],
  ])('fails the package on %s rather than grant more', (_case, executors, error) => {
    expect(() => executorGrants({ FLUXLINE_DEPLOY_CONFIG: configFile(executors) })).toThrow(error);
  });
});

describe('the config.yaml cloudformation.test.ts packages with', () => {
  it('is one Fluxline loads', async () => {
    const { parseConfig } = await import('../../lib/core/config');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(join(import.meta.dirname, '../fixtures/deploy/config-with-executors.yaml'), 'utf8');

    expect(Object.keys(parseConfig(text, 'config.yaml').executors)).toEqual(['runbooks', 'ops-fn', 'ops-fn-live', 'kubectl-read']);
  });
});
