import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { root } from './common.mjs';

/**
 * The Kubernetes API stand-in (test/fakes/kubernetes/index.ts), for a newcomer's first run only: the example
 * config is in use (no FLUXLINE_CONFIG, no config.yaml) and its `local` cluster's kubeconfig file
 * (~/.kube/config) does not exist. It serves the Kustomization the example config diffs and its
 * GitRepository (acme/fleet), over https with a fresh token. Its kubeconfig goes to
 * .cache/local/kubeconfig (mode 600) and FLUXLINE_CONFIG to .cache/local/config.yaml, a copy of
 * config.example.yaml whose `local` cluster reads that kubeconfig. Anything the user configured wins:
 * then nothing starts and nothing is written. Takes the child's environment to amend; returns
 * { name, note, config, scenario, stop } or undefined.
 */
export async function startKubernetesStandIn(env) {
  if (env.FLUXLINE_CONFIG || existsSync(join(root, 'config.yaml'))) return undefined;
  const local = await tsImport('../lib/local-cluster.ts', import.meta.url);
  const fleet = await tsImport('../lib/sample-fleet.ts', import.meta.url);
  const exampleText = readFileSync(join(root, 'config.example.yaml'), 'utf8');
  const kubeconfig = local.localKubeconfig(exampleText);
  if (!kubeconfig || existsSync(kubeconfig.path)) return undefined;

  const fakes = await tsImport('../../test/fakes/kubernetes/index.ts', import.meta.url);
  // https: client-go (a real kubectl or flux) sends no credentials over plain http.
  const kube = await fakes.startFakeKubernetes({ token: randomBytes(24).toString('base64url'), tls: true });
  for (const object of local.sampleClusterObjects()) kube.put(object);

  const dir = join(root, '.cache', 'local');
  const kubeconfigPath = join(dir, 'kubeconfig');
  const configPath = join(dir, 'config.yaml');
  const kubeconfigText = kube.kubeconfigYaml({ context: kubeconfig.context ?? 'fluxline-local-stand-in' });
  const configText = local.localConfigYaml(exampleText, kubeconfigPath);
  mkdirSync(dir, { recursive: true });
  writeFileSync(kubeconfigPath, kubeconfigText, { mode: 0o600 });
  chmodSync(kubeconfigPath, 0o600); // the mode above only applies to a new file
  writeFileSync(configPath, configText);
  env.FLUXLINE_CONFIG = configPath;

  const { namespace, name } = fleet.SAMPLE_KUSTOMIZATION;
  return {
    name: 'Kubernetes',
    note: `local stand-in at ${kube.url} (Kustomization ${namespace}/${name}; put a kubeconfig at ${kubeconfig.file} or write config.yaml to use a real cluster)`,
    config: `${relative(root, configPath)} (config.example.yaml with cluster ${local.LOCAL_CLUSTER} on the Kubernetes stand-in)`,
    scenario: fleet.SAMPLE_SCENARIO,
    async stop() {
      await kube.stop();
      // Its token is dead now; leave the files only if another run has rewritten them since.
      for (const [path, text] of [[kubeconfigPath, kubeconfigText], [configPath, configText]]) {
        if (existsSync(path) && readFileSync(path, 'utf8') === text) rmSync(path, { force: true });
      }
    },
  };
}

