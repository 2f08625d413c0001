import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiffReport, type DiffSummary, type ObjectRef } from '../../lib/adapters/flux';
import { DIFF_FIXTURES } from './support/workspace';

const golden = (name: string) => readFileSync(join(DIFF_FIXTURES, `${name}.golden`), 'utf8');
const ref = (kind: string, namespace: string, name: string): ObjectRef => ({ kind, namespace, name });

const podinfo = {
  deployment: ref('Deployment', 'default', 'podinfo'),
  hpa: ref('HorizontalPodAutoscaler', 'default', 'podinfo'),
  service: ref('Service', 'default', 'podinfo'),
  dockerSecret: ref('Secret', 'default', 'docker-secret'),
  basicAuth: ref('Secret', 'default', 'secret-basic-auth-stringdata'),
  token: ref('Secret', 'default', 'podinfo-token-77t89m9b67'),
  dbUserPass: ref('Secret', 'default', 'db-user-pass-bkbd782d2c'),
};

/** The lists and counts; `objects` (report order, with field changes) is asserted in its own tests. */
type Lists = Omit<DiffSummary, 'objects'>;
const lists = ({ objects: _objects, ...rest }: DiffSummary): Lists => rest;

function summary(fields: Partial<Omit<DiffSummary, 'counts' | 'objects'>>): Lists {
  const lists = { created: [], drifted: [], deleted: [], skipped: [], kustomizations: [], ...fields };
  return {
    counts: { created: lists.created.length, drifted: lists.drifted.length, deleted: lists.deleted.length, skipped: lists.skipped.length },
    ...lists,
  };
}

describe('parseDiffReport', () => {
  it.each<[string, Lists]>([
    [
      'drifted-secret',
      summary({
        created: [podinfo.deployment, podinfo.hpa, podinfo.service, podinfo.dockerSecret, podinfo.basicAuth, podinfo.token],
        drifted: [podinfo.dbUserPass],
      }),
    ],
    [
      'drifted-service',
      summary({
        created: [podinfo.deployment, podinfo.hpa, podinfo.dockerSecret, podinfo.basicAuth, podinfo.token, podinfo.dbUserPass],
        drifted: [podinfo.service],
      }),
    ],
    ['nothing-is-deployed', summary({ created: Object.values(podinfo) })],
    ['with-deployment', summary({ created: [podinfo.hpa, podinfo.service, podinfo.token, podinfo.dbUserPass] })],
  ])('reads the objects of the %s golden file and skips the dyff bodies', (name, expected) => {
    // Prepare
    const report = golden(name);

    // Act
    const parsed = parseDiffReport(report);

    // Assess
    expect(lists(parsed)).toEqual(expected);
  });

  it('gives cluster-scoped objects no namespace', () => {
    // Prepare: flux2 testdata diff-new-namespace-only.golden
    const report = '► Namespace/new-ns created\n';

    // Act
    const parsed = parseDiffReport(report);

    // Assess
    expect(parsed.created).toEqual([{ kind: 'Namespace', name: 'new-ns' }]);
  });

  it('counts deleted and skipped objects', () => {
    // Prepare
    const report = '► ConfigMap/flux-system/pruned deleted\n► ClusterRole/old-reader deleted\n► ConfigMap/flux-system/kept skipped\n';

    // Act
    const parsed = parseDiffReport(report);

    // Assess
    expect(parsed.counts).toEqual({ created: 0, drifted: 0, deleted: 2, skipped: 1 });
    expect(parsed.deleted).toEqual([ref('ConfigMap', 'flux-system', 'pruned'), { kind: 'ClusterRole', name: 'old-reader' }]);
    expect(parsed.skipped).toEqual([ref('ConfigMap', 'flux-system', 'kept')]);
  });

  it('lists the nested Kustomizations of a --recursive diff and counts their objects', () => {
    // Prepare: flux2 testdata diff-with-recursive.golden and diff-with-recursive-cascade-delete.golden
    const report = [
      '📁 Kustomization/default/my-app changed',
      '► ConfigMap/default/my-app created',
      '► Kustomization/flux-system/cascade-child deleted',
      '📁 Kustomization/flux-system/cascade-child deleted resources',
      '► ConfigMap/flux-system/cascade-config deleted',
      '',
    ].join('\n');

    // Act
    const parsed = parseDiffReport(report);

    // Assess
    expect(parsed.kustomizations).toEqual([ref('Kustomization', 'default', 'my-app')]);
    expect(parsed.counts).toEqual({ created: 1, drifted: 0, deleted: 2, skipped: 0 });
  });

  it('tolerates colour codes and CRLF line endings', () => {
    // Prepare: bunt colours each line (24-bit SGR) when flux thinks it writes to a terminal.
    const coloured = golden('drifted-service')
      .split('\n')
      .map((line) => (line.startsWith('►') ? `\u001b[38;2;0;128;0m${line}\u001b[0m` : line))
      .join('\r\n');

    // Act
    const parsed = parseDiffReport(coloured);

    // Assess
    expect(parsed).toEqual(parseDiffReport(golden('drifted-service')));
    expect(parsed.counts.created).toBe(6);
  });

  it('does not count dyff body lines that mention an object', () => {
    // Prepare
    const report = '► ConfigMap/default/app drifted\n\ndata.note\n± value change\n- ► Secret/default/x created\n+ fine\n\n  ► Secret/default/y created\n';

    // Act
    const parsed = parseDiffReport(report);

    // Assess
    expect(parsed.counts).toEqual({ created: 0, drifted: 1, deleted: 0, skipped: 0 });
  });

  it('returns empty lists for an empty report', () => {
    expect(lists(parseDiffReport(''))).toEqual(summary({}));
    expect(parseDiffReport('').objects).toEqual([]);
  });

  it('keeps each object in report order with the field changes dyff printed under it', () => {
    // Prepare
    const report = golden('drifted-service');

    // Act
    const parsed = parseDiffReport(report);

    // Assess
    expect(parsed.objects.map((o) => `${o.kind}/${o.name} ${o.action}`)).toContain('Service/podinfo drifted');
    expect(parsed.objects.find((o) => o.kind === 'Service')?.changes).toEqual([{ path: 'spec.ports.http.port', change: 'value', before: '9899', after: '9898' }]);
    expect(parsed.objects.find((o) => o.kind === 'Deployment')?.changes).toEqual([]);
  });

  it('reads indented dyff blocks, document references after the path, and entries added or removed', () => {
    // Prepare: newer flux indents dyff's report and names the document after the path.
    const report = [
      '► Deployment/apps/web drifted',
      '',
      '    spec.template.spec.containers.web.image  (apps/v1/Deployment/apps/web)',
      '      ± value change',
      '        - ghcr.io/acme/web:1.4.2',
      '        + ghcr.io/acme/web:1.5.0',
      '',
      '    metadata.labels',
      '      + one map entry added:',
      '        tier: frontend',
      '',
      '    spec.template.spec.tolerations',
      '      - one list entry removed:',
      '        - key: spot',
      '',
      '► ConfigMap/apps/web created',
    ].join('\n');

    // Act
    const parsed = parseDiffReport(report);

    // Assess
    expect(parsed.objects[0]?.changes).toEqual([
      { path: 'spec.template.spec.containers.web.image', change: 'value', before: 'ghcr.io/acme/web:1.4.2', after: 'ghcr.io/acme/web:1.5.0' },
      { path: 'metadata.labels', change: 'added' },
      { path: 'spec.template.spec.tolerations', change: 'removed' },
    ]);
    expect(parsed.objects[1]).toEqual({ kind: 'ConfigMap', namespace: 'apps', name: 'web', action: 'created', changes: [] });
  });
});
