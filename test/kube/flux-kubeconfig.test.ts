import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ClusterConfigInvalid, getKustomization, resolveClusterAccess } from '../../lib/adapters/kube';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { kustomization } from './flux-fixtures';

const run = promisify(execFile);
const kubectl = await run('kubectl', ['version', '--client'], { timeout: 10_000 }).then(
  () => true,
  () => false,
);

interface Document {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
  'current-context': string;
}

/** A CA that signed nothing the fake serves. */
const OTHER_CA = `-----BEGIN CERTIFICATE-----
MIIBgjCCASegAwIBAgIUXlx7vy8z2A0KdR8jlyqTMuZZeeUwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKYW5vdGhlci1jYTAgFw0yNjExMjMxMjI0NTNaGA8yMTI2MTAz
MDEyMjQ1M1owFTETMBEGA1UEAwwKYW5vdGhlci1jYTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABDsF0192Ml9qTNLuABGPak0n9x7BLsKrBhw6PbTWawOID4DJhLjx
J4iVKCOYqj6x2yrXEtIkg239aOhrhPVGpCGjUzBRMB0GA1UdDgQWBBRMfELEjz+p
gSweBj3pg7SUkKi/njAfBgNVHSMEGDAWgBRMfELEjz+pgSweBj3pg7SUkKi/njAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQC+o+icAuS68RrT9ErL
IYfDt1QAMLU01nRqfmSbd9ZtFwIhAOpKLjsubg+tJGxUZkuK6OvUHBKtqZBYI9pD
FW7/ZpqM
-----END CERTIFICATE-----
`;

/** Every kubeconfig field that makes a client read a file or run a program. */
const EXTERNAL_REFERENCES = ['certificate-authority', 'client-certificate', 'client-key', 'tokenFile', 'token-file', 'exec', 'auth-provider'];

describe('the kubeconfig written for the flux CLI', () => {
  let fake: FakeKubernetes;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeKubernetes({ token: 'worker-token' });
    fake.put(kustomization());
    dir = await mkdtemp(join(tmpdir(), 'fluxline-kubeconfig-'));
  });
  afterAll(async () => {
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is self-contained even when the source kubeconfig has several contexts and file references', async () => {
    // Prepare
    await writeFile(join(dir, 'token'), 'worker-token\n');
    await writeFile(join(dir, 'client.crt'), 'CERT');
    await writeFile(join(dir, 'client.key'), 'KEY');
    const source = stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'fake', cluster: { server: fake.url, 'insecure-skip-tls-verify': true } },
        { name: 'prod', cluster: { server: 'https://prod.example', 'certificate-authority': '/etc/prod-ca.crt' } },
      ],
      users: [
        { name: 'worker', user: { tokenFile: join(dir, 'token'), 'client-certificate': 'client.crt', 'client-key': 'client.key' } },
        { name: 'admin', user: { exec: { command: 'aws', args: ['eks', 'get-token'] } } },
      ],
      contexts: [
        { name: 'stage', context: { cluster: 'fake', user: 'worker', namespace: 'flux-system' } },
        { name: 'prod', context: { cluster: 'prod', user: 'admin' } },
      ],
      'current-context': 'prod',
    });
    const file = join(dir, 'config');
    await writeFile(file, source);
    const connection = await resolveClusterAccess('stage', { kubeconfig: { file, context: 'stage' } }, { readParameter: () => Promise.reject(new Error('unused')) });

    // Act
    const text = connection.kubeconfigYaml();
    const written = parse(text) as Document;

    // Assess
    expect(written.clusters).toEqual([{ name: 'stage', cluster: { server: fake.url, 'insecure-skip-tls-verify': true } }]);
    expect(written.users).toEqual([{ name: 'fluxline', user: { token: 'worker-token', 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key-data': Buffer.from('KEY').toString('base64') } }]);
    expect(written.contexts).toEqual([{ name: 'stage', context: { cluster: 'stage', user: 'fluxline', namespace: 'flux-system' } }]);
    expect(written['current-context']).toBe('stage');
    for (const key of EXTERNAL_REFERENCES) expect(text).not.toMatch(new RegExp(`^\\s*${key}:`, 'm'));
    expect(text).not.toContain(dir);
  });

  // client-go sends credentials over TLS only, hence an https fake whose CA the kubeconfig carries inline.
  it.skipIf(!kubectl)('is read by client-go (kubectl, as flux reads it) with token, CA and impersonation applied', async () => {
    // Prepare
    const tlsFake = await startFakeKubernetes({ token: 'worker-token', tls: true });
    tlsFake.put(kustomization());
    const connection = await resolveClusterAccess('stage', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(tlsFake.kubeconfigYaml()) }, { impersonate: { user: 'alice', group: 'team-stage' } });
    const file = join(dir, 'for-kubectl');
    await writeFile(file, connection.kubeconfigYaml(), { mode: 0o600 });

    // Act
    const reading = run('kubectl', ['--kubeconfig', file, 'get', '--raw', '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      timeout: 15_000,
    }).finally(() => tlsFake.stop());

    // Assess
    const { stdout } = await reading;
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'Kustomization', metadata: { name: 'apps' } });
    expect(tlsFake.requests.at(-1)).toMatchObject({ path: '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps', auth: 'bearer-ok', impersonateUser: 'alice', impersonateGroups: ['team-stage'] });
  });

  it('is trusted by client-node through its inline CA over https', async () => {
    // Prepare
    const tlsFake = await startFakeKubernetes({ token: 'worker-token', tls: true });
    tlsFake.put(kustomization());

    // Act
    const reading = resolveClusterAccess('stage', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(tlsFake.kubeconfigYaml()) })
      .then((connection) => getKustomization(connection, { namespace: 'flux-system', name: 'apps' }))
      .finally(() => tlsFake.stop());

    // Assess
    await expect(reading).resolves.toMatchObject({ name: 'apps' });
    expect(tlsFake.requests.at(-1)).toMatchObject({ auth: 'bearer-ok' });
  });

  it('refuses a server whose certificate the CA does not vouch for, as a configuration problem', async () => {
    // Prepare
    const tlsFake = await startFakeKubernetes({ token: 'worker-token', tls: true });
    const kubeconfig = parse(tlsFake.kubeconfigYaml()) as Document;
    for (const entry of kubeconfig.clusters) entry.cluster['certificate-authority-data'] = Buffer.from(OTHER_CA).toString('base64');

    // Act
    const reading = resolveClusterAccess('stage', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(stringify(kubeconfig)) })
      .then((connection) => getKustomization(connection, { namespace: 'flux-system', name: 'apps' }))
      .finally(() => tlsFake.stop());

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ClusterConfigInvalid);
    await expect(reading).rejects.toThrow(/cluster stage: the TLS handshake with 127\.0\.0\.1:\d+ failed \(\w+\): check the server URL and its certificate-authority data/);
  });
});
