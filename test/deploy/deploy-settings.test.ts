import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { missingDeploySettings } from '../../scripts/serverless/deploy-settings-guard.mjs';
import { layerArnProblem } from '../../scripts/serverless/flux-layer-guard.mjs';
import { ROOT } from './template';

/** `serverless deploy` as an operator types it, with no AWS credentials: the guard must refuse before any AWS call. */
async function deploy(stage: string, params: string[] = []): Promise<{ failed: boolean; output: string }> {
  const { AWS_ACCESS_KEY_ID: _k, AWS_SECRET_ACCESS_KEY: _s, AWS_SESSION_TOKEN: _t, AWS_PROFILE: _p, FLUX_LAYER: _f, ...env } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/serverless/bin/serverless.js'), 'deploy', '--stage', stage, '--region', 'eu-west-1', ...params.map((p) => `--param=${p}`)], {
      cwd: ROOT,
      env: { ...env, FLUX_LAYER_ARN: 'arn:aws:lambda:eu-west-1:123456789012:layer:flux:1', SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', CI: 'true' },
      timeout: 120_000,
    });
    return { failed: false, output: stdout + stderr };
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    return { failed: true, output: stdout + stderr };
  }
}

describe('deploy settings live in serverless.yml, not on one command line', () => {
  it('refuses a prod deploy while its alarm topic or KMS key (params.prod) is empty, naming each and where to set it', async () => {
    // Act
    const { failed, output } = await deploy('prod', ['alarmTopicArn=arn:aws:sns:eu-west-1:123456789012:ops']);

    // Assess: the --param given once fills one; the other is still missing.
    expect(failed).toBe(true);
    expect(output).toContain('Refusing to deploy stage prod: parametersKmsKeyArn is empty');
    expect(output).not.toContain('alarmTopicArn is empty');
    expect(output).toContain('under params.prod in serverless.yml');
  }, 120_000);

  it.each([
    ['nothing required (dev)', { required: '' }, []],
    ['prod with both', { required: 'alarmTopicArn,parametersKmsKeyArn', alarmTopicArn: 'arn:aws:sns:eu-west-1:1:ops', parametersKmsKeyArn: 'aws/ssm' }, []],
    ['prod without a topic', { required: 'alarmTopicArn,parametersKmsKeyArn', alarmTopicArn: ' ', parametersKmsKeyArn: 'aws/ssm' }, ['alarmTopicArn']],
    ['prod with neither', { required: 'alarmTopicArn, parametersKmsKeyArn' }, ['alarmTopicArn', 'parametersKmsKeyArn']],
  ])('finds the empty required settings: %s', (_case, settings, missing) => {
    expect(missingDeploySettings(settings)).toEqual(missing);
  });
});

describe('a published flux layer (FLUX_LAYER_ARN)', () => {
  it.each([
    ['a layer of the stack\'s region', 'arn:aws:lambda:eu-west-1:123456789012:layer:flux-2-9-5:7', undefined],
    ['a layer of another region', 'arn:aws:lambda:us-east-1:123456789012:layer:flux-2-9-5:7', /a layer of us-east-1, but this stack deploys to eu-west-1/],
    ['a layer ARN without its version', 'arn:aws:lambda:eu-west-1:123456789012:layer:flux', /not a layer version ARN/],
  ])('is checked offline against the stack: %s', (_case, arn, problem) => {
    const found = layerArnProblem(arn, 'eu-west-1');
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });
});
