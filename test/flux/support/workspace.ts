import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const STAND_IN_FLUX = resolve(dirname(fileURLToPath(import.meta.url)), '../../fakes/flux/flux');
export const DIFF_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/flux-diff');

/** A job folder laid out like the worker's: a checkout, a HOME and a kubeconfig, under one tmp dir. */
export interface Workspace {
  root: string;
  checkout: string;
  home: string;
  kubeconfig: string;
  /** The only variables the worker hands flux. node's own folder is on PATH for the stand-in's shebang. */
  env: Record<string, string>;
  /** Writes the `fluxline-scenario` line the stand-in obeys (see test/fakes/flux/README.md). */
  scenario: (line: string) => void;
  remove: () => void;
}

export function createWorkspace(server: string, token: string): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'fluxline-flux-'));
  const checkout = join(root, 'src', 'clusters', 'stage');
  const home = join(root, 'home');
  const kubeconfig = join(root, 'kubeconfig');
  mkdirSync(checkout, { recursive: true });
  mkdirSync(home);
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'stage',
      contexts: [{ name: 'stage', context: { cluster: 'stage', user: 'fluxline' } }],
      clusters: [{ name: 'stage', cluster: { server } }],
      users: [{ name: 'fluxline', user: { token } }],
    }),
    { mode: 0o600 },
  );
  return {
    root,
    checkout,
    home,
    kubeconfig,
    env: { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: home, KUBECONFIG: kubeconfig },
    scenario: (line) => writeFileSync(join(checkout, 'fluxline-scenario'), `${line}\n`),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
