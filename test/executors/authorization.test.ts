import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/core/config';
import { message, type ExecutorMeta } from '../../lib/core/executors';
import { handleSlashCommand, parseSlashCommand, planSlashCommand, slackExecutors, type PlannedRun, type SlackExecutor, type SlashCommandDeps } from '../../lib/flows/interactions';
import { slashCommandBody } from '../helpers/slack-requests';
import { freshStore } from '../helpers/store';

// Issue #19 item 3: the dispatcher authorizes every executor by one rule (authorizeRun), the built-ins
// (promote, rollback, reconcile, suspend, resume, get, diff …) and a team's own executor alike: admins for
// a mutating one, its refusals audited, then the channel's cluster binding.
const config = parseConfig(
  `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0STAGE: { clusters: [stage], executors: [deploy-bot, reader] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
  prod: { kubeconfig: { ssm: /fluxline/kubeconfig/prod } }
gitops: { repository: acme/fleet, branch: main }
apps: { namespaces: [podinfo] }
executors:
  deploy-bot: { use: echo }
  reader:     { use: kubectl, config: { verbs: [get], resources: [pods], namespaces: [podinfo] } }
`,
  'config.yaml',
);

/** A team's executor that changes things on a cluster: it stands in the `echo` slot of the catalog. */
const deploy: ExecutorMeta = { name: 'echo', version: '0.0.1', description: 'deploys', mutating: true, needsCluster: true };
const specs = (name: string): ExecutorMeta | undefined => (name === 'echo' ? deploy : name === 'kubectl' ? { name, version: '1', description: 'reads', mutating: false, needsCluster: true } : undefined);

const plan = (text: string, user: string) => planSlashCommand(config, parseSlashCommand(slashCommandBody(text, { channel: 'C0STAGE', user })), specs);

const mutations = ['promote podinfo@6.5.4 to prod', 'rollback podinfo on prod', 'reconcile ks apps --cluster prod', 'suspend hr podinfo -n podinfo --cluster prod', 'resume ks apps --cluster prod', 'deploy-bot ship --cluster prod'];
const reads = ['get ks -A --cluster prod', 'diff prod', 'reader get pods -n podinfo --cluster prod'];

describe('one authorization for every executor, built-in or configured', () => {
  it.each(mutations)('refuses `/flux %s` to a non-admin as a non-admin first, and audits it', (text) => {
    // Act: a channel bound to stage only, asking for prod; the user is no admin
    const decided = plan(text, 'U0DEV');

    // Assess: the admin rule comes first, whatever the executor, and the refusal leaves its audit line
    expect(decided).toMatchObject({ kind: 'answer', reply: { response_type: 'ephemeral', text: expect.stringMatching(/nly Fluxline admins/) }, audit: { actor: 'U0DEV', outcome: 'refused', detail: expect.stringMatching(/nly Fluxline admins/) } });
  });

  it.each(mutations)('holds an admin to the channel’s cluster binding for `/flux %s`, and audits the refusal', (text) => {
    const decided = plan(text, 'U0ADMIN');

    expect(decided).toMatchObject({ kind: 'answer', reply: { text: expect.stringContaining('This channel may use `stage` only, not `prod`') }, audit: { actor: 'U0ADMIN', outcome: 'refused' } });
  });

  it.each(reads)('holds a read-only `/flux %s` to the same binding, with no audit line', (text) => {
    const decided = plan(text, 'U0DEV');

    expect(decided).toMatchObject({ kind: 'answer', reply: { text: expect.stringContaining('This channel may use `stage` only, not `prod`') } });
    expect(decided).not.toHaveProperty('audit');
  });

  it('lets an admin run the mutating executor on the bound cluster, as it lets promote through', () => {
    expect(plan('deploy-bot ship', 'U0ADMIN')).toMatchObject({ kind: 'work', work: { kind: 'executor', run: { executor: 'echo', cluster: 'stage', args: ['ship'] } } });
    expect(plan('promote podinfo@6.5.4 to stage', 'U0ADMIN')).toMatchObject({ kind: 'work', work: { kind: 'executor', run: { executor: 'promote' } } });
  });
});

// The consumer half: the built-ins are executors of the same registry as a team's own; the consumer plans with
// that registry's metadata, authorizes once, and only then calls the executor the command names.
/** The consumer's registry with a test executor in the `echo` slot: mutating, on a cluster; it records every run. */
async function consumer() {
  const store = await freshStore();
  const runs: PlannedRun[] = [];
  const deploy: SlackExecutor = {
    name: 'echo',
    version: '0.0.1',
    description: 'ships a release to a cluster.',
    mutating: true,
    needsCluster: true,
    help: () => message({ type: 'text', text: 'deploy-bot ship' }),
    execute: (_slash, run) => {
      runs.push(run);
      return Promise.resolve({ response_type: 'in_channel', text: 'shipped' });
    },
  };
  const base = { config, store, queue: { send: () => Promise.reject(new Error('no job expected')) }, slack: {} } as unknown as SlashCommandDeps;
  const builtins = slackExecutors(base);
  const deps: SlashCommandDeps = { ...base, executors: (name) => (name === 'echo' ? deploy : builtins(name)) };
  const command = (text: string, user: string, trigger = `T-${text}-${user}`) => handleSlashCommand(deps, parseSlashCommand(slashCommandBody(text, { channel: 'C0STAGE', user, triggerId: trigger })));
  return { store, runs, command };
}

describe('the registry of executors: built-ins and a team’s own, one authorization', () => {
  it('refuses a mutating test executor to a non-admin as it refuses promote, audits it, and never runs it', async () => {
    // Prepare
    const { store, runs, command } = await consumer();

    // Act
    const deploy = await command('deploy-bot ship', 'U0DEV');
    const promote = await command('promote podinfo@6.5.4 to stage', 'U0DEV');

    // Assess
    expect(deploy).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('only Fluxline admins') });
    expect(promote).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Only Fluxline admins may promote') });
    expect(runs).toEqual([]);
    const audit = await store.auditOfDay(new Date());
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'U0DEV', action: 'echo ship', target: 'executor:deploy-bot', outcome: 'refused' }),
        expect.objectContaining({ actor: 'U0DEV', action: 'promote', outcome: 'refused' }),
      ]),
    );
  });

  it('holds an admin to the channel’s clusters for the test executor, with an audit line', async () => {
    const { store, runs, command } = await consumer();

    const reply = await command('deploy-bot ship --cluster prod', 'U0ADMIN');

    expect(reply).toMatchObject({ text: expect.stringContaining('This channel may use `stage` only, not `prod`') });
    expect(runs).toEqual([]);
    expect(await store.auditOfDay(new Date())).toEqual([expect.objectContaining({ actor: 'U0ADMIN', action: 'echo ship --cluster prod', outcome: 'refused' })]);
  });

  it('runs the test executor the registry holds once the admin and the cluster pass', async () => {
    const { runs, command } = await consumer();

    const reply = await command('deploy-bot ship', 'U0ADMIN');

    expect(reply).toEqual({ response_type: 'in_channel', text: 'shipped' });
    expect(runs).toEqual([{ executor: 'echo', bindings: ['deploy-bot'], args: ['ship'], cluster: 'stage' }]);
  });

  it('lists the built-ins and the channel’s executors, with the description the registry gives', async () => {
    const { command } = await consumer();

    const help = await command('help', 'U0DEV');

    expect(help?.text).toContain('*`/flux promote APP@VERSION to ENV`*');
    expect(help?.text).toContain('*Executors in this channel*\n*`/flux echo …`*: ships a release to a cluster. (`/flux help echo`)');
  });

  it.each([
    ['promote', true, '/flux promote APP@VERSION to ENV'],
    ['get', false, '/flux get|reconcile|suspend|resume|tree|events …'],
    ['history', false, '/flux history APP [on ENV]'],
  ])('holds %s as an executor of the contract, with its metadata and its own help', async (name, mutating, usage) => {
    // Prepare
    const store = await freshStore();
    const executors = slackExecutors({ config, store } as unknown as SlashCommandDeps);

    // Act
    const executor = executors(name);

    // Assess
    expect(executor).toMatchObject({ name, version: expect.any(String), description: expect.any(String), mutating });
    expect(executor?.help([]).blocks[0]).toEqual({ type: 'section', text: usage });
  });
});
