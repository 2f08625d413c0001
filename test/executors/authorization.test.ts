import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/core/config';
import type { ExecutorMeta } from '../../lib/core/executors';
import { parseSlashCommand, planSlashCommand } from '../../lib/flows/interactions';
import { slashCommandBody } from '../helpers/slack-requests';

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
