import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/core/config';
import { message, type ExecutorSpec } from '../../lib/core/executors';
import * as z from '../../lib/core/validation';
import { parseSlashCommand, planSlashCommand } from '../../lib/flows/interactions';
import { decideExecutor } from '../../lib/flows/interactions/plan-executor';
import { executorHelp } from '../../lib/flows/interactions/request-executor';
import { slashCommandBody } from '../helpers/slack-requests';

const config = parseConfig(
  `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0STAGE: { clusters: [stage], executors: [echo-bold, kubectl-read, echo-italic], user: fluxline-stage }
    C0PROD: { clusters: [prod], executors: [] }
    C0BOTH: { clusters: [stage, prod], executors: [kubectl-read, deploy-bot] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
  prod: { kubeconfig: { ssm: /fluxline/kubeconfig/prod } }
executors:
  echo-bold:    { use: echo, config: { formatOptions: [bold] } }
  echo-italic:  { use: echo, config: { formatOptions: [italic] } }
  kubectl-read: { use: kubectl, config: { verbs: [get, describe, logs], resources: [deployments, pods, services], namespaces: [podinfo] } }
  deploy-bot:   { use: echo }
`,
  'config.yaml',
);

const plan = (text: string, options: { channel?: string; user?: string } = {}) => planSlashCommand(config, parseSlashCommand(slashCommandBody(text, { channel: 'C0STAGE', user: 'U0DEV', ...options })));

describe('dispatching /flux to executors', () => {
  it('runs an executor bound to the channel, with all its bound configurations in binding order', () => {
    expect(plan('echo hello world')).toEqual({ kind: 'work', work: { kind: 'executor', run: { executor: 'echo', bindings: ['echo-bold', 'echo-italic'], args: ['hello', 'world'] } } });
  });

  it('runs one configuration when the command names it', () => {
    expect(plan('echo-italic hi')).toEqual({ kind: 'work', work: { kind: 'executor', run: { executor: 'echo', bindings: ['echo-italic'], args: ['hi'] } } });
  });

  it('refuses an executor the channel has not bound, in plain words and only to the user', () => {
    // Prepare: C0PROD binds none; C0BOTH binds kubectl but no echo configuration of its own besides deploy-bot
    const refused = plan('echo hello', { channel: 'C0PROD' });

    // Assess
    expect(refused).toEqual({ kind: 'answer', reply: { response_type: 'ephemeral', text: expect.stringContaining('`echo` is not available in this channel. No executors are bound to it.') } });
    expect(plan('echo-bold hello', { channel: 'C0BOTH' })).toMatchObject({ kind: 'answer', reply: { text: expect.stringContaining('Here you can use `kubectl`, `echo`') } });
  });

  it('gives a cluster executor the channel’s cluster and identity, and takes --cluster out of its arguments', () => {
    expect(plan('kubectl get pods -n podinfo')).toEqual({
      kind: 'work',
      work: { kind: 'executor', run: { executor: 'kubectl', bindings: ['kubectl-read'], args: ['get', 'pods', '-n', 'podinfo'], cluster: 'stage', impersonate: { user: 'fluxline-stage' } } },
    });
    expect(plan('kubectl get pods --cluster prod', { channel: 'C0BOTH' })).toMatchObject({ work: { run: { cluster: 'prod', args: ['get', 'pods'] } } });
  });

  it('refuses a cluster the channel is not bound to, and asks which cluster when it cannot tell', () => {
    expect(plan('kubectl get pods --cluster prod')).toMatchObject({ kind: 'answer', reply: { text: expect.stringContaining('This channel may use `stage` only, not `prod`') } });
    expect(plan('kubectl get pods', { channel: 'C0BOTH' })).toMatchObject({ kind: 'answer', reply: { text: expect.stringContaining('Which cluster?') } });
  });

  it('leaves the built-in commands and words that name no executor to the grammar', () => {
    expect(plan('get ks -A --cluster stage', { channel: 'C0FLUX' })).toMatchObject({ kind: 'work', work: { kind: 'executor', run: { executor: 'get' } } });
    expect(plan('constructor')).toMatchObject({ kind: 'answer', reply: { text: expect.stringContaining('is not a Fluxline command') } });
    expect(plan('toString')).toMatchObject({ kind: 'answer' });
  });

  it('lets only admins run a mutating executor, and audits the refusal', () => {
    // Prepare: a test executor that changes things
    const deploy: ExecutorSpec<{ formatOptions: string[] }> = {
      name: 'echo',
      version: '0.0.1',
      description: 'test',
      configSchema: z.object({ formatOptions: z._default(z.array(z.string()), []) }),
      mutating: true,
      needsCluster: false,
      help: () => message(),
    };
    const specs = (name: string) => (name === 'echo' ? (deploy as ExecutorSpec<unknown>) : undefined);

    // Act
    const refused = decideExecutor(config, { user: 'U0DEV', channel: 'C0STAGE', text: 'echo ship it' }, specs);
    const allowed = decideExecutor(config, { user: 'U0ADMIN', channel: 'C0STAGE', text: 'echo ship it' }, specs);

    // Assess
    expect(refused).toEqual({
      kind: 'refused',
      reason: expect.stringContaining('only Fluxline admins'),
      audit: { actor: 'U0DEV', action: 'echo ship it', where: 'slack:C0STAGE', target: 'executor:echo-bold,echo-italic', outcome: 'refused', detail: expect.any(String) },
    });
    expect(allowed).toMatchObject({ kind: 'run' });
  });

  it('lists in help exactly the executors bound to the channel, and gives each its own help', () => {
    const stage = plan('help');
    const prod = plan('help', { channel: 'C0PROD' });
    const kubectl = plan('help kubectl');

    expect(stage.kind === 'answer' && stage.reply.text).toMatch(/Executors in this channel\*\n\*`\/flux echo …`\*.*\n\*`\/flux kubectl …`\*/);
    expect(prod.kind === 'answer' && prod.reply.text).not.toContain('Executors in this channel');
    // An executor's own help is the consumer's to give (the ingress carries no executor code or schema).
    expect(kubectl).toEqual({ kind: 'work', work: { kind: 'executor', run: { executor: 'help', topic: 'kubectl', bindings: ['kubectl-read'] } } });
    const help = executorHelp({ config }, 'kubectl', ['kubectl-read']);
    expect(help).toMatchObject({ response_type: 'ephemeral', blocks: expect.any(Array) });
    expect(JSON.stringify(help)).toContain('namespaces podinfo');
  });
});
