// Which flux the worker runs under npm start.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './common.mjs';
import { onPath } from './env.mjs';

/** The stand-in flux CLI of the tests (test/fakes/flux/README.md): it replays recorded `flux diff` output. */
export const standInFlux = join(root, 'test', 'fakes', 'flux', 'flux');

/**
 * FLUX_BIN: the flux the worker runs. With the Kubernetes stand-in (`kubernetesStandIn`, from
 * startKubernetesStandIn), the stand-in flux: a real flux cannot diff against the fake API server.
 * Otherwise infra/layer/bin/flux where it can run (it is built for Lambda, linux/arm64), else `flux` from
 * PATH. FLUX_BIN, when set, always wins.
 */
export function chooseFlux(env, kubernetesStandIn) {
  if (env.FLUX_BIN) {
    const caveat = kubernetesStandIn && env.FLUX_BIN !== standInFlux ? `; with the Kubernetes stand-in only ${relative(root, standInFlux)} can diff` : '';
    return { bin: env.FLUX_BIN, standIn: env.FLUX_BIN === standInFlux, note: `${env.FLUX_BIN} (FLUX_BIN${caveat})` };
  }
  const layerFlux = join(root, 'infra', 'layer', 'bin', 'flux');
  const real = existsSync(layerFlux) && process.platform === 'linux' && process.arch === 'arm64' ? layerFlux : onPath('flux', env);
  if (kubernetesStandIn) {
    const why = real ? `(${real} is a real flux: it cannot diff against the Kubernetes stand-in)` : '(real diffs need a real cluster, as above, and flux on PATH or FLUX_BIN)';
    return { bin: standInFlux, standIn: true, note: `stand-in ${relative(root, standInFlux)} (replays recorded flux output: "${kubernetesStandIn.scenario}" for the sample PRs)\n${why}` };
  }
  if (real === layerFlux) return { bin: layerFlux, note: 'infra/layer/bin/flux (the Lambda layer build)' };
  if (real) return { bin: 'flux', note: `flux on PATH (${real})` };
  return { bin: 'flux', note: 'flux on PATH: NOT FOUND, diffs will fail (install the flux CLI or set FLUX_BIN)' };
}

