import { describe, expect, it } from 'vitest';
import { encodeAction } from '../../lib/core/commands';
import { ACTIONS } from '../../lib/adapters/slack';
import type { KubeObject } from '../fakes/kubernetes';
import { buttonsOf, useWorld } from '../helpers/world';

const replyOf = (response: { body?: string }) => JSON.parse(response.body ?? '{}') as { response_type?: string; text?: string };

interface Select {
  action_id: string;
  options: { text: { text: string }; value: string }[];
}

function selectsOf(blocks: unknown[] | undefined): Select[] {
  return ((blocks ?? []) as { type: string; elements?: { type: string }[] }[]).filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'static_select') as unknown as Select[]);
}

const ks = (name: string, namespace: string, ready: 'True' | 'False', extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace },
  spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }, ...extra },
  status: { lastAppliedRevision: 'main@sha1:696f056df3b6a8e4a1b1a5d1f9f1d4c3e2b1a0f9', conditions: [{ type: 'Ready', status: ready, message: ready === 'True' ? 'Applied revision: main@sha1:696f056d' : 'kustomize build failed: missing Resources file' }] },
});

describe('Flux CLI commands from Slack', () => {
  const world = useWorld();
  const kustomizationPatches = (name: string) => world().kube.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/kustomizations/${name}`));
  const latest = (channel = 'C0STAGE') => world().slack.messages.filter((m) => m.channel === channel).at(-1);

  it('answers /flux get ks -A with a select menu whose options match the table rows, and a chosen row reconciles once, for an admin', async () => {
    // Prepare
    world().kube.put(ks('podinfo', 'podinfo', 'False'));

    // Act: the table
    const reply = replyOf(await world().command('get ks -A', { channel: 'C0STAGE' }));
    await world().settle();

    // Assess: one message, the running one replaced by the table with a menu of its rows
    expect(reply.response_type).toBe('ephemeral');
    const table = latest();
    expect(table?.text).toMatch(/flux get ks -A on stage: 6 Kustomizations, \d+ not ready/);
    expect(JSON.stringify(table?.blocks)).toContain('podinfo/podinfo');
    const [menu] = selectsOf(table?.blocks);
    const names = (await (await world().runtime()).store.getJobResult((JSON.parse(menu?.options[0]?.value ?? '{}') as { jobId: string }).jobId))?.text.split('\n').slice(1).filter(Boolean).map((line) => line.split('\t').slice(0, 2).map((c) => c.trim()).join('/'));
    expect(menu?.options.map((o) => o.text.text.replace(/^✗ /, ''))).toEqual(names);
    expect(menu?.options.find((o) => o.text.text.includes('podinfo/podinfo'))?.text.text).toMatch(/^✗ /);

    // Act: choose flux-system/apps, then click Reconcile twice (a double click)
    const option = menu?.options.find((o) => o.text.text.replace(/^✗ /, '') === 'flux-system/apps');
    await world().click({ actionId: menu?.action_id ?? '', selectedValue: option?.value ?? '', messageTs: table?.ts ?? '', channel: 'C0STAGE' });
    const offer = world().slack.ephemerals.at(-1);
    const buttons = buttonsOf(offer?.blocks);
    expect(buttons.map((b) => b.label)).toEqual(['Reconcile', 'Suspend', 'Events', 'Tree', 'Diff a PR']);
    const reconcile = buttons[0];
    await Promise.all([1, 2].map((n) => world().click({ actionId: reconcile?.actionId ?? '', value: reconcile?.value ?? '', messageTs: offer?.messageTs ?? '', channel: 'C0STAGE', actionTs: `${n}.000001` })));
    await world().settle();

    // Assess: exactly one `flux reconcile ks apps -n flux-system`, annotated on the cluster, answered in the table's thread
    expect(kustomizationPatches('apps')).toHaveLength(1);
    expect(world().kube.get({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace: 'flux-system' })?.metadata.annotations).toHaveProperty(['reconcile.fluxcd.io/requestedAt']);
    const answer = world().slack.messages.filter((m) => m.threadTs === table?.ts);
    expect(answer).toHaveLength(1);
    expect(answer[0]?.text).toBe('flux reconcile ks apps -n flux-system on stage');
    expect(JSON.stringify(answer[0]?.blocks)).toContain('✔ Kustomization annotated');
    const audit = await (await world().runtime()).store.auditOfDay(new Date());
    expect(audit.filter((a) => a.action === 'flux reconcile ks apps -n flux-system' && a.outcome === 'succeeded')).toHaveLength(1);
  });

  it.each([
    'delete ks apps',
    'install',
    'uninstall',
    'bootstrap github',
    'create ks x',
    'get ks; rm -rf /',
    'get ks && rm -rf /',
    'get ks $(id)',
    'get ks `id`',
    "get ks 'apps'",
    'get ks --kubeconfig /etc/kubeconfig',
    'get ks --context other',
    'get ks --server https://10.0.0.1',
    'reconcile ks apps --as system:admin',
    'get ks --no-header',
    'get ks\nreconcile ks apps',
  ])('refuses `/flux %s` without running anything', async (text) => {
    // Prepare
    const requests = world().kube.requests.length;
    const messages = world().slack.messages.length;

    // Act
    const reply = replyOf(await world().command(text, { channel: 'C0STAGE' }));
    await world().settle();

    // Assess
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/not allowed|refused|shell metacharacters|Unknown option|line breaks/);
    expect(world().kube.requests.length).toBe(requests);
    expect(world().slack.messages.length).toBe(messages);
  });

  it('refuses reconcile, suspend and resume from a non-admin, typed or clicked, and audits the refusal', async () => {
    // Act
    const typed = replyOf(await world().command('suspend ks apps', { channel: 'C0STAGE', user: 'U0DEV' }));
    const button = encodeAction({ type: 'flux-run', action: 'reconcile', cluster: 'stage', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
    await world().click({ actionId: `${ACTIONS.fluxRun}:reconcile`, value: button, messageTs: '1700000000.000100', channel: 'C0STAGE', user: 'U0DEV' });
    await world().settle();

    // Assess
    expect(typed.text).toMatch(/only Fluxline admins/);
    expect(world().slack.ephemerals.at(-1)).toMatchObject({ user: 'U0DEV', text: expect.stringMatching(/only Fluxline admins/) });
    expect(kustomizationPatches('apps').length).toBeLessThanOrEqual(1);
    const audit = await (await world().runtime()).store.auditOfDay(new Date());
    expect(audit.filter((a) => a.actor === 'U0DEV' && a.outcome === 'refused').map((a) => a.action)).toEqual(expect.arrayContaining(['flux suspend ks apps -n flux-system', 'flux reconcile ks apps -n flux-system']));
  });

  it('reads "no objects found" (exit 1 since flux 2.6) as an empty result, not an error', async () => {
    await world().command('get hr -n nothing-here', { channel: 'C0STAGE' });
    await world().settle();
    expect(latest()?.text).toMatch(/flux get hr -n nothing-here on stage: no HelmRelease objects found in "nothing-here" namespace/);
    expect(latest()?.text).not.toMatch(/failed/);
  });

  it('suspends, then offers Resume for the suspended object, and shows a tree and events', async () => {
    await world().command('suspend ks auto', { channel: 'C0STAGE' });
    await world().settle();
    expect(world().kube.get({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'auto', namespace: 'flux-system' })?.spec).toMatchObject({ suspend: true });
    expect(latest()?.text).toBe('flux suspend ks auto -n flux-system on stage');

    await world().command('get ks auto', { channel: 'C0STAGE' });
    await world().settle();
    const table = latest();
    const [menu] = selectsOf(table?.blocks);
    await world().click({ actionId: menu?.action_id ?? '', selectedValue: menu?.options[0]?.value ?? '', messageTs: table?.ts ?? '', channel: 'C0STAGE' });
    expect(buttonsOf(world().slack.ephemerals.at(-1)?.blocks).map((b) => b.label)).toContain('Resume');

    world().kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'auto.1', namespace: 'flux-system' }, involvedObject: { kind: 'Kustomization', name: 'auto', namespace: 'flux-system' }, type: 'Warning', reason: 'ReconciliationFailed', message: 'kustomize build failed', lastTimestamp: new Date(Date.now() - 90_000).toISOString() });
    await world().command('events --for Kustomization/auto', { channel: 'C0STAGE' });
    await world().settle();
    expect(JSON.stringify(latest()?.blocks)).toMatch(/ReconciliationFailed.*Kustomization\/auto.*kustomize build failed/);
  });

  it('says in Slack when the cluster is unreachable', async () => {
    await world().command('get ks --cluster down', { channel: 'C0FLUX' });
    await world().settle();
    const answer = world().slack.messages.filter((m) => m.channel === 'C0FLUX').at(-1);
    expect(answer?.text).toMatch(/flux get ks -n flux-system on down failed: .*connection refused/);
  });

  it('asks which cluster when the channel may use several', async () => {
    const reply = replyOf(await world().command('get ks', { channel: 'C0FLUX' }));
    expect(reply.text).toMatch(/Which cluster\? Add `--cluster <name>`/);
  });

  it('pages a 230-row table into menus of at most 100 options each, within Slack limits', async () => {
    // Prepare
    for (let i = 0; i < 230; i++) world().kube.put(ks(`app-${String(i).padStart(3, '0')}`, 'many', i % 50 === 0 ? 'False' : 'True'));

    // Act
    await world().command('get ks -n many', { channel: 'C0STAGE' });
    await world().settle();

    // Assess
    const menus = selectsOf(latest()?.blocks);
    expect(menus.map((m) => m.options.length)).toEqual([100, 100, 30]);
    expect(menus.flatMap((m) => m.options).every((o) => o.value.length <= 150)).toBe(true);
    expect(menus.at(-1)?.options.at(-1)?.text.text).toBe('app-229');
  });
});
