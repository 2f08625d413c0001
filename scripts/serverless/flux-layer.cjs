// Where the worker's `flux` comes from, decided when serverless.yml is read (`${file(...)}` resolvers:
// osls `require`s them, hence CommonJS):
//
//   1. FLUX_LAYER_ARN is set        -> the worker uses that published layer (e.g. one built in CI once);
//   2. infra/layer/bin/flux exists  -> the `flux` layer is packaged from infra/layer
//                                     (`node infra/flux-layer/build.mjs` writes it; it is gitignored);
//   3. neither, or FLUX_LAYER=none  -> no layer: `serverless package` still works (CI, newcomers,
//                                     offline), and scripts/serverless/flux-layer-guard.mjs makes
//                                     `serverless deploy` refuse, because a worker without flux can
//                                     run no diff.
//
// FLUX_LAYER=none exists because osls asks CloudFormation whether a built layer is already uploaded
// (compareWithLastLayer), so packaging with infra/layer present needs AWS credentials; .ci/run sets it
// to check the template the same way on every machine.
'use strict';
/* global __dirname */

const { existsSync } = require('node:fs');
const { join } = require('node:path');
const process = require('node:process');

const serviceDir = join(__dirname, '..', '..');
const LAYER_DIR = 'infra/layer';
const FLUX_IN_LAYER = `${LAYER_DIR}/bin/flux`;
/** serverless names the CloudFormation resource of layer `flux` FluxLambdaLayer. */
const LAYER_LOGICAL_ID = 'FluxLambdaLayer';

/** Where flux comes from, or undefined when nowhere. */
function fluxSource(env = process.env) {
  if (env.FLUX_LAYER === 'none') return undefined;
  const arn = (env.FLUX_LAYER_ARN || '').trim();
  if (arn) return { kind: 'arn', arn };
  if (existsSync(join(serviceDir, FLUX_IN_LAYER))) return { kind: 'built', path: LAYER_DIR };
  return undefined;
}

/** `layers:` of serverless.yml: the flux layer when it was built locally, else none. */
async function layers({ resolveConfigurationProperty }) {
  const source = fluxSource();
  if (source?.kind !== 'built') return {};
  const runtime = await resolveConfigurationProperty(['provider', 'runtime']);
  const architecture = await resolveConfigurationProperty(['provider', 'architecture']);
  return {
    flux: {
      path: source.path,
      description: 'flux CLI for flux diff and the /flux commands (mounted at /opt/bin/flux)',
      ...(runtime ? { compatibleRuntimes: [runtime] } : {}),
      ...(architecture ? { compatibleArchitectures: [architecture] } : {}),
    },
  };
}

/** `functions.worker.layers`: a reference to the flux layer, or an empty list when there is none. */
function workerLayers() {
  const source = fluxSource();
  if (!source) return [];
  return source.kind === 'arn' ? [source.arn] : [{ Ref: LAYER_LOGICAL_ID }];
}

module.exports = { layers, workerLayers, fluxSource, FLUX_IN_LAYER };
