import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiffReport } from '../../lib/adapters/flux';
import { DEFAULT_PROTECTED_NAMESPACES } from '../../lib/core/config';
import { flagsLine, riskFlags } from '../../lib/flows/diffs/risk-flags';
import { DIFF_FIXTURES } from '../flux/support/workspace';

const golden = (name: string) => readFileSync(join(DIFF_FIXTURES, `${name}.golden`), 'utf8');
const flagsOf = (report: string, protectedNamespaces: readonly string[] = DEFAULT_PROTECTED_NAMESPACES) => riskFlags(parseDiffReport(report), { protectedNamespaces });
const value = (path: string, before: string, after: string) => `\n${path}\n± value change\n- ${before}\n+ ${after}\n\n`;

describe('riskFlags', () => {
  it.each([
    ['deletion', '► ConfigMap/apps/old deleted\n', ['ConfigMap/apps/old']],
    ['crd-deleted', '► CustomResourceDefinition/widgets.acme.io deleted\n', ['CustomResourceDefinition/widgets.acme.io']],
    ['crd-changed', '► CustomResourceDefinition/widgets.acme.io created\n', ['CustomResourceDefinition/widgets.acme.io']],
    ['crd-changed', `► CustomResourceDefinition/widgets.acme.io drifted\n${value('spec.scope', 'Namespaced', 'Cluster')}`, ['CustomResourceDefinition/widgets.acme.io']],
    ['namespace-created', '► Namespace/new-ns created\n', ['Namespace/new-ns']],
    ['namespace-deleted', '► Namespace/old-ns deleted\n', ['Namespace/old-ns']],
    ['rbac', '► Role/apps/reader created\n', ['Role/apps/reader']],
    ['rbac', '► ClusterRole/reader drifted\n\nrules\n+ one list entry added:\n  - verbs: [get]\n', ['ClusterRole/reader']],
    ['rbac', '► RoleBinding/apps/reader deleted\n', ['RoleBinding/apps/reader']],
    ['rbac', '► ClusterRoleBinding/admins created\n', ['ClusterRoleBinding/admins']],
    ['secret', `► Secret/apps/token drifted\n${value('data.token', '*** (before)', '*** (after)')}`, ['Secret/apps/token']],
    ['storage-deleted', '► PersistentVolumeClaim/apps/data deleted\n', ['PersistentVolumeClaim/apps/data']],
    ['storage-deleted', '► StorageClass/fast deleted\n', ['StorageClass/fast']],
    ['image', `► Deployment/apps/web drifted\n${value('spec.template.spec.containers.web.image', 'web:1', 'web:2')}`, ['Deployment/apps/web']],
    ['chart-version', `► HelmRelease/apps/redis drifted\n${value('spec.chart.spec.version', '18.6.1', '19.0.2')}`, ['HelmRelease/apps/redis']],
    ['scaled-to-zero', `► Deployment/apps/web drifted\n${value('spec.replicas', '2', '0')}`, ['Deployment/apps/web']],
    ['scaled-to-zero', `► HorizontalPodAutoscaler/apps/web drifted\n${value('spec.minReplicas', '1', '0')}`, ['HorizontalPodAutoscaler/apps/web']],
    ['protected-namespace', `► ConfigMap/kube-system/coredns drifted\n${value('data.x', 'a', 'b')}`, ['ConfigMap/kube-system/coredns']],
    ['protected-namespace', '► Namespace/flux-system created\n', ['Namespace/flux-system']],
  ])('raises %s for %j', (id, report, objects) => {
    // Act
    const flags = flagsOf(report);

    // Assess
    expect(flags.find((flag) => flag.id === id)?.objects).toEqual(objects);
  });

  it.each([
    ['a skipped object', '► ClusterRole/reader skipped\n'],
    ['a replica count raised from 0', `► Deployment/apps/web drifted\n${value('spec.replicas', '0', '2')}`],
    ['a replica count lowered to 1', `► Deployment/apps/web drifted\n${value('spec.replicas', '3', '1')}`],
    ['a created Deployment (no image change, it had none)', '► Deployment/apps/web created\n'],
    ['a chart version in a ConfigMap', `► ConfigMap/apps/x drifted\n${value('spec.chart.spec.version', '1', '2')}`],
    ['a drifted Namespace label', `► Namespace/apps drifted\n${value('metadata.labels.team', 'a', 'b')}`],
  ])('raises nothing for %s', (_what, report) => {
    expect(flagsOf(report)).toEqual([]);
  });

  it('reads every flag of a platform change from a flux report, most severe first', () => {
    // Act
    const flags = flagsOf(golden('risky-platform'));

    // Assess
    expect(flags.map((flag) => [flag.id, flag.objects.length])).toEqual([
      ['crd-deleted', 1],
      ['namespace-deleted', 1],
      ['storage-deleted', 2],
      ['rbac', 2],
      ['protected-namespace', 1],
      ['crd-changed', 1],
      ['deletion', 5],
      ['namespace-created', 1],
      ['secret', 1],
    ]);
    expect(flagsLine(flags, new Set(['crd-deleted', 'rbac']))).toBe(
      '1 CRD deleted (needs an admin) · 1 Namespace deleted · 2 volumes or StorageClasses deleted · 2 RBAC changes (needs an admin) · 1 object in a protected namespace · 1 CRD created or changed · 5 deletions · 1 Namespace created · 1 Secret change',
    );
  });

  it('says old → new for each container image, chart version and replica bound set to 0', () => {
    // Act
    const flags = flagsOf(golden('risky-workloads'));

    // Assess
    expect(Object.fromEntries(flags.map((flag) => [flag.id, flag.details]))).toEqual({
      'scaled-to-zero': ['Deployment/apps/worker replicas: 3 → 0', 'HorizontalPodAutoscaler/apps/web maxReplicas: 10 → 0'],
      'chart-version': ['HelmRelease/apps/redis: 18.6.1 → 19.0.2'],
      image: ['Deployment/apps/web web: ghcr.io/acme/web:1.4.2 → ghcr.io/acme/web:1.5.0', 'Deployment/apps/web migrate: ghcr.io/acme/migrate:1.4.2 → ghcr.io/acme/migrate:1.5.0'],
    });
    expect(flags.find((flag) => flag.id === 'image')?.objects).toEqual(['Deployment/apps/web']);
  });

  it('never shows a Secret value, only its name', () => {
    // Act
    const flags = flagsOf('► Secret/apps/token drifted\n\ndata.token\n± value change\n- hunter2\n+ hunter3\n');

    // Assess
    expect(JSON.stringify(flags)).not.toContain('hunter');
    expect(flags).toEqual([{ id: 'secret', label: 'Secret change', objects: ['Secret/apps/token'], details: [] }]);
  });

  it('takes the protected namespaces from config', () => {
    expect(flagsOf('► ConfigMap/payments/x created\n', ['payments']).map((flag) => flag.id)).toEqual(['protected-namespace']);
    expect(flagsOf('► ConfigMap/kube-system/x created\n', ['payments'])).toEqual([]);
  });
});
