import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string }[];
  spec?: Record<string, unknown>;
  stringData?: Record<string, string>;
}

/** Every document of a file in infra/kubernetes, failing on any YAML error. */
function manifests(file: string): Manifest[] {
  const text = readFileSync(resolve(import.meta.dirname, '../../infra/kubernetes', file), 'utf8');
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new Error(`${file}: not a YAML stream`);
  for (const doc of documents) expect(doc.errors.map((e) => e.message), file).toEqual([]);
  return documents.map((doc) => doc.toJS() as Manifest).filter(Boolean);
}

const byKindAndName = (list: Manifest[], kind: string, name: string): Manifest => {
  const found = list.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

describe('infra/kubernetes/worker-rbac.yaml', () => {
  const rbac = manifests('worker-rbac.yaml');

  it('holds two cluster roles and their bindings, and nothing else', () => {
    expect(rbac.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ClusterRole/fluxline:worker:diff',
      'ClusterRole/fluxline:worker:read',
      'ClusterRoleBinding/fluxline:worker:diff',
      'ClusterRoleBinding/fluxline:worker:read',
    ]);
  });

  it('reads the Flux objects, Deployments and namespaces, and cannot change anything with the read role', () => {
    const read = byKindAndName(rbac, 'ClusterRole', 'fluxline:worker:read');
    expect([...new Set(read.rules?.flatMap((r) => r.verbs))].sort()).toEqual(['get', 'list', 'watch']);
    const readable = read.rules?.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`)));
    expect(readable).toEqual(
      expect.arrayContaining(['kustomize.toolkit.fluxcd.io/kustomizations', 'source.toolkit.fluxcd.io/gitrepositories', 'helm.toolkit.fluxcd.io/helmreleases', 'apps/deployments', '/namespaces']),
    );
  });

  it('allows only get and patch for flux diff, on named kinds, and never on RBAC objects', () => {
    const diff = byKindAndName(rbac, 'ClusterRole', 'fluxline:worker:diff');
    expect([...new Set(diff.rules?.flatMap((r) => r.verbs))].sort()).toEqual(['get', 'patch']);
    expect(diff.rules?.flatMap((r) => r.apiGroups)).not.toContain('rbac.authorization.k8s.io');
    expect(diff.rules?.flatMap((r) => r.resources)).toEqual(expect.arrayContaining(['deployments', 'services', 'configmaps', 'kustomizations', 'helmreleases']));
  });

  it('has no wildcard group, resource or verb', () => {
    const everything = rbac.flatMap((m) => m.rules ?? []).flatMap((r) => [...r.apiGroups, ...r.resources, ...r.verbs]);
    expect(everything.filter((x) => x.includes('*'))).toEqual([]);
  });

  it.each(['read', 'diff'])('binds the %s role to the group the EKS access entry maps the worker role to', (role) => {
    const binding = byKindAndName(rbac, 'ClusterRoleBinding', `fluxline:worker:${role}`);
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: `fluxline:worker:${role}` });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'fluxline:worker' }]);
  });
});

describe('infra/kubernetes/flux-alerts.yaml', () => {
  const alerts = manifests('flux-alerts.yaml');

  it('sends events to /flux/events/<cluster> through a generic-hmac Provider keyed by its Secret', () => {
    const provider = byKindAndName(alerts, 'Provider', 'fluxline');
    const secret = byKindAndName(alerts, 'Secret', 'fluxline-webhook');
    expect(provider.apiVersion).toMatch(/^notification\.toolkit\.fluxcd\.io\//);
    expect(provider.spec).toEqual({ type: 'generic-hmac', address: 'https://<api>/flux/events/<cluster>', secretRef: { name: 'fluxline-webhook' } });
    expect(secret.metadata.namespace).toBe(provider.metadata.namespace);
  });

  it('ships a placeholder token, never a real one', () => {
    const token = byKindAndName(alerts, 'Secret', 'fluxline-webhook').stringData?.token;
    expect(token).toBe('REPLACE_WITH_THE_FLUX_WEBHOOK_TOKEN');
  });

  it('alerts on every Kustomization and HelmRelease at info severity, through that Provider', () => {
    const alert = byKindAndName(alerts, 'Alert', 'fluxline');
    expect(alert.spec).toEqual({
      providerRef: { name: 'fluxline' },
      eventSeverity: 'info',
      eventSources: [
        { kind: 'Kustomization', name: '*' },
        { kind: 'HelmRelease', name: '*' },
      ],
    });
  });
});
