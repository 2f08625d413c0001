import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/core/config';
import { message } from '../../lib/core/executors';
import { handleSlashCommand, parseSlashCommand, type SlashCommandDeps } from '../../lib/flows/interactions';
import { slackExecutors } from '../../lib/flows/interactions/builtin-executors';
import type { PlannedRun } from '../../lib/flows/interactions/plan-slash-command';
import type { SlackExecutor } from '../../lib/flows/interactions/slack-executor';
import { slashCommandBody } from '../helpers/slack-requests';
import { freshStore } from '../helpers/store';

// Issue #19 item 3: the built-ins are executors of the same registry as a team's own; the consumer plans with
// that registry's metadata, authorizes once (admins for a mutating one, the channel's clusters, an audit line
// for a refused mutation), and only then calls the executor the command names.
const config = parseConfig(
  `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0STAGE: { clusters: [stage], executors: [deploy-bot] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
  prod: { kubeconfig: { ssm: /fluxline/kubeconfig/prod } }
gitops: { repository: acme/fleet, branch: main }
apps: { namespaces: [podinfo] }
executors:
  deploy-bot: { use: echo }
`,
  'config.yaml',
);

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
});
