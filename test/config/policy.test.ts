import { describe, expect, it } from 'vitest';
import { guardedFlags, parseConfig } from '../../lib/core/config';

const base = `
slack: { channel: C0FLUX, admins: [U0ADMIN] }
clusters: { stage: { kubeconfig: { ssm: /k/stage } }, prod: { kubeconfig: { ssm: /k/prod } } }
`;

describe('config policy', () => {
  it('guards CRD, Namespace and volume deletions and RBAC changes by default, and protects kube-system and flux-system', () => {
    // Act
    const config = parseConfig(base, 'config.yaml');

    // Assess
    expect([...guardedFlags(config.policy, { repository: 'acme/fleet', cluster: 'stage' })]).toEqual(['crd-deleted', 'namespace-deleted', 'storage-deleted', 'rbac']);
    expect(config.policy.protectedNamespaces).toEqual(['kube-system', 'flux-system']);
  });

  it('lets a cluster or a repository replace the list, and takes the union when both are set', () => {
    // Prepare
    const config = parseConfig(`${base}
policy:
  clusters: { prod: { adminApproval: [deletion, image] } }
  repositories: { acme/fleet: { adminApproval: [secret] } }
`, 'config.yaml');

    // Act
    const of = (repository: string, cluster: string) => [...guardedFlags(config.policy, { repository, cluster })].sort();

    // Assess
    expect(of('acme/other', 'prod')).toEqual(['deletion', 'image']);
    expect(of('acme/fleet', 'stage')).toEqual(['secret']);
    expect(of('acme/fleet', 'prod')).toEqual(['deletion', 'image', 'secret']);
    expect(of('acme/other', 'constructor')).toEqual(['crd-deleted', 'namespace-deleted', 'rbac', 'storage-deleted']);
  });

  it('refuses a flag name it does not know, at load', () => {
    expect(() => parseConfig(`${base}\npolicy: { adminApproval: [crd-delete] }\n`, 'config.yaml')).toThrow(/policy\.adminApproval/);
  });
});
