import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/core/config';
import { configProblemsOf } from '../helpers/config-problems';
import { parseSlashCommand, planSlashCommand } from '../../lib/flows/interactions';
import { executorHelp } from '../../lib/flows/interactions/request-executor';
import { slashCommandBody } from '../helpers/slack-requests';

const base = (executors: string, bindings = '[runbooks, ops-fn]') => `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0OPS: { clusters: [stage], executors: ${bindings} }
    C0DEV: { clusters: [stage] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
executors:
${executors}
`;

const REMOTE = `
  runbooks: { http: { url: https://runbooks.internal/fluxline, secret: { ssm: /fluxline/executors/runbooks }, mutating: false, description: 'runs a runbook.' }, config: { team: sre } }
  ops-fn:   { lambda: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:fluxline-ops' } }`;


describe('out-of-process executors in config.yaml', () => {
  it('accepts http and lambda executors; unknown code is mutating unless the configuration says not', () => {
    const config = parseConfig(base(REMOTE), 'config.yaml');

    expect(config.executors.runbooks?.http?.mutating).toBe(false);
    expect(config.executors['ops-fn']?.lambda).toEqual({ arn: 'arn:aws:lambda:eu-west-1:123456789012:function:fluxline-ops', mutating: true });
  });

  it('accepts, for npm start without SSM, a shared secret from a FLUXLINE_EXECUTOR_ variable', () => {
    const config = parseConfig(base(`  runbooks: { http: { url: http://localhost:9000/fluxline, secret: { env: FLUXLINE_EXECUTOR_RUNBOOKS } } }`, '[runbooks]'), 'config.yaml');

    expect(config.executors.runbooks?.http?.secret).toEqual({ env: 'FLUXLINE_EXECUTOR_RUNBOOKS' });
  });

  it.each([
    ['an http URL to another host', `  runbooks: { http: { url: http://runbooks.internal/x, secret: { ssm: /x } } }`, 'executors.runbooks.http.url: must be an https:// URL (http:// only to localhost, for local runs)'],
    ['an http URL whose host merely starts like localhost', `  runbooks: { http: { url: 'http://localhost.evil.example/x', secret: { ssm: /x } } }`, 'executors.runbooks.http.url: must be an https:// URL (http:// only to localhost, for local runs)'],
    ['a secret that is not an SSM name', `  runbooks: { http: { url: https://r.internal/x, secret: { ssm: fluxline } } }`, 'executors.runbooks.http.secret.ssm: an SSM parameter name starts with /'],
    ['a secret from any environment variable (a Fluxline secret would reach the executor)', `  runbooks: { http: { url: http://localhost:9000/x, secret: { env: SLACK_SIGNING_SECRET } } }`, 'executors.runbooks.http.secret.env: must be an environment variable named FLUXLINE_EXECUTOR_<SOMETHING> (A-Z, 0-9, _)'],
    ['a secret in two places at once', `  runbooks: { http: { url: http://localhost:9000/x, secret: { ssm: /x, env: FLUXLINE_EXECUTOR_RUNBOOKS } } }`, 'executors.runbooks.http.secret: give exactly one of `ssm: /parameter/name` or, for npm start only, `env: FLUXLINE_EXECUTOR_<NAME>`'],
    ['an empty secret', `  runbooks: { http: { url: http://localhost:9000/x, secret: {} } }`, 'executors.runbooks.http.secret: give exactly one of `ssm: /parameter/name` or, for npm start only, `env: FLUXLINE_EXECUTOR_<NAME>`'],
    ['a Lambda name instead of an ARN', `  runbooks: { lambda: { arn: fluxline-ops } }`, 'executors.runbooks.lambda.arn: must be a Lambda function ARN: arn:aws:lambda:<region>:<account>:function:<name>'],
    ['two forms at once', `  runbooks: { use: echo, lambda: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:x' } }`, 'executors.runbooks: give exactly one of `use: <built-in>` (with its `config`), `http: { url, secret }` or `lambda: { arn }`'],
    ['a timeout past 300 s', `  runbooks: { lambda: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:x', timeoutSeconds: 900 } }`, 'executors.runbooks.lambda.timeoutSeconds: a whole number of seconds from 1 to 300'],
    ['the name of a built-in', `  kubectl: { lambda: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:x' } }`, 'executors.kubectl: is the name of a built-in executor; choose another name for an http or lambda executor'],
  ])('refuses %s, naming the key', (_case, executors, problem) => {
    expect(configProblemsOf(base(executors, '[]'))).toEqual([problem]);
  });
});

describe('dispatching /flux to out-of-process executors', () => {
  const config = parseConfig(base(REMOTE), 'config.yaml');
  const plan = (text: string, options: { channel?: string; user?: string } = {}) => planSlashCommand(config, parseSlashCommand(slashCommandBody(text, { channel: 'C0OPS', user: 'U0DEV', ...options })));

  it('queues a run of a read-only http executor for the worker, with its words as they were typed', () => {
    expect(plan('runbooks restart podinfo')).toEqual({ kind: 'work', work: { kind: 'executor', run: { executor: 'runbooks', bindings: ['runbooks'], args: ['restart', 'podinfo'] } } });
  });

  it('lets only admins run an executor that does not say it is read-only, and audits the refusal', () => {
    const refused = plan('ops-fn drain node-1');
    const allowed = plan('ops-fn drain node-1', { user: 'U0ADMIN' });

    expect(refused).toMatchObject({ kind: 'answer', audit: { actor: 'U0DEV', action: 'ops-fn drain node-1', outcome: 'refused' } });
    expect(allowed).toEqual({ kind: 'work', work: { kind: 'executor', run: { executor: 'ops-fn', bindings: ['ops-fn'], args: ['drain', 'node-1'] } } });
  });

  it('refuses it in a channel that has not bound it', () => {
    expect(plan('runbooks restart', { channel: 'C0DEV' })).toMatchObject({ kind: 'answer', reply: { text: expect.stringContaining('`runbooks` is not available in this channel') } });
  });

  it('lists it in help with its description, from config.yaml alone', () => {
    const help = plan('help');
    const own = plan('help runbooks');

    expect(JSON.stringify(help)).toContain('/flux runbooks …`*: runs a runbook.');
    expect(JSON.stringify(help)).toContain('/flux ops-fn …');
    expect(own).toEqual({ kind: 'work', work: { kind: 'executor', run: { executor: 'help', topic: 'runbooks', bindings: ['runbooks'] } } });
    expect(JSON.stringify(executorHelp({ config }, 'runbooks', ['runbooks']))).toContain('asks it for its own help');
  });
});
