import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ClusterAuthFailed, ClusterConfigInvalid, getKustomization, GROUP_ONLY_IMPERSONATED_USER, listDeployments, resolveClusterAccess } from '../../lib/adapters/kube';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { kustomization } from './flux-fixtures';

type KubeconfigDocument = { users: { name: string; user: Record<string, unknown> }[] };

function connect(kubeconfig: string, impersonate?: { user?: string; group?: string }) {
  return resolveClusterAccess('stage', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(kubeconfig) }, impersonate ? { impersonate } : {});
}

/** The fake's kubeconfig with `as` / `as-groups` set on its user. */
function withKubeconfigImpersonation(fake: FakeKubernetes, as: Record<string, unknown>): string {
  const kubeconfig = parse(fake.kubeconfigYaml()) as KubeconfigDocument;
  for (const entry of kubeconfig.users) Object.assign(entry.user, as);
  return stringify(kubeconfig);
}

describe('impersonation (DESIGN §5 channel bindings)', () => {
  let fake: FakeKubernetes;

  beforeAll(async () => {
    fake = await startFakeKubernetes({ token: 'worker-token' });
    fake.put(kustomization());
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('sends Impersonate-User and Impersonate-Group on client-node requests', async () => {
    // Prepare
    const connection = await connect(fake.kubeconfigYaml(), { user: 'alice', group: 'team-stage' });

    // Act
    await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });
    await listDeployments(connection, 'podinfo');

    // Assess
    expect(fake.requests).toHaveLength(2);
    for (const request of fake.requests) expect(request).toMatchObject({ auth: 'bearer-ok', impersonateUser: 'alice', impersonateGroups: ['team-stage'] });
    expect(connection.impersonate).toEqual({ user: 'alice', group: 'team-stage' });
  });

  it('writes the same impersonation into the kubeconfig for the flux CLI as `as` and `as-groups`', async () => {
    // Prepare
    const connection = await connect(fake.kubeconfigYaml(), { user: 'alice', group: 'team-stage' });

    // Act
    const kubeconfig = parse(connection.kubeconfigYaml()) as KubeconfigDocument;

    // Assess
    expect(kubeconfig.users).toEqual([{ name: 'fluxline', user: { token: 'worker-token', as: 'alice', 'as-groups': ['team-stage'] } }]);
  });

  it('impersonates a fixed user when a binding names only a group, because Kubernetes requires one', async () => {
    // Prepare
    const connection = await connect(fake.kubeconfigYaml(), { group: 'team-stage' });

    // Act
    await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(fake.requests.at(-1)).toMatchObject({ impersonateUser: GROUP_ONLY_IMPERSONATED_USER, impersonateGroups: ['team-stage'] });
    expect((parse(connection.kubeconfigYaml()) as KubeconfigDocument).users[0]?.user).toMatchObject({ as: GROUP_ONLY_IMPERSONATED_USER, 'as-groups': ['team-stage'] });
  });

  it("applies the kubeconfig's own `as` when no binding asks for impersonation", async () => {
    // Prepare
    const connection = await connect(withKubeconfigImpersonation(fake, { as: 'ci-reader' }));

    // Act
    await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(fake.requests.at(-1)).toMatchObject({ impersonateUser: 'ci-reader', impersonateGroups: [] });
    expect((parse(connection.kubeconfigYaml()) as KubeconfigDocument).users[0]?.user.as).toBe('ci-reader');
  });

  it("lets the channel binding replace the kubeconfig's impersonation, never add to it", async () => {
    // Prepare
    const connection = await connect(withKubeconfigImpersonation(fake, { as: 'admin', 'as-groups': ['system:masters'] }), { user: 'alice' });

    // Act
    await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(fake.requests.at(-1)).toMatchObject({ impersonateUser: 'alice', impersonateGroups: [] });
    expect((parse(connection.kubeconfigYaml()) as KubeconfigDocument).users[0]?.user).not.toHaveProperty('as-groups');
  });

  it('sends no impersonation headers when there is none', async () => {
    // Prepare
    const connection = await connect(fake.kubeconfigYaml());

    // Act
    await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(fake.requests.at(-1)).toMatchObject({ impersonateGroups: [] });
    expect(fake.requests.at(-1)).not.toHaveProperty('impersonateUser');
    expect(connection.impersonate).toBeUndefined();
  });

  it('refuses a kubeconfig impersonating several groups, which client-node cannot send', async () => {
    // Act
    const resolving = connect(withKubeconfigImpersonation(fake, { as: 'ci', 'as-groups': ['a', 'b'] }));

    // Assess
    await expect(resolving).rejects.toBeInstanceOf(ClusterConfigInvalid);
  });

  it('shows what the impersonated group may not do', async () => {
    // Prepare
    fake.forbid({ group: 'team-dev', resource: 'deployments', verb: 'list' });
    const connection = await connect(fake.kubeconfigYaml(), { group: 'team-dev' });

    // Act
    const listing = listDeployments(connection, 'podinfo');

    // Assess
    await expect(listing).rejects.toBeInstanceOf(ClusterAuthFailed);
    await expect(listing).rejects.toThrow(
      `deployments.apps is forbidden: User "${GROUP_ONLY_IMPERSONATED_USER}" cannot list resource "deployments" in API group "apps" in the namespace "podinfo" (impersonating user "${GROUP_ONLY_IMPERSONATED_USER}" and group "team-dev"`,
    );
  });
});
