// A local osls plugin: `serverless package` without the flux layer is fine (CI, newcomers: the template is
// what they check), but `serverless deploy` must not ship a worker that cannot run `flux diff`. No
// placeholder binary: it would deploy a system that fails on its first click instead of now.
// scripts/serverless/flux-layer.cjs decides where flux comes from; this only enforces it.

/** The functions that run the flux CLI (serverless.yml keys). */
const FLUX_FUNCTIONS = ['worker'];

const HOW_TO_FIX = [
  'Either build the layer:   node infra/flux-layer/build.mjs   (writes infra/layer/bin/flux, linux arm64)',
  'or use a published one:   FLUX_LAYER_ARN=arn:aws:lambda:<region>:<account>:layer:<name>:<version> npx serverless deploy',
].join('\n');

/**
 * What is wrong with a published flux layer for this stack, offline: Lambda attaches only a layer of the
 * function's own region, so one from another region fails the deploy half-way (or a later one).
 */
export function layerArnProblem(arn, region) {
  const match = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):\d{12}:layer:[\w-]+:\d+$/.exec(arn);
  if (!match) return `FLUX_LAYER_ARN=${arn} is not a layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>)`;
  if (match[1] !== region) return `FLUX_LAYER_ARN is a layer of ${match[1]}, but this stack deploys to ${region}: publish the layer in ${region} (node infra/flux-layer/build.mjs, then aws lambda publish-layer-version --region ${region} --compatible-architectures arm64)`;
  return undefined;
}

export default class FluxLayerGuard {
  constructor(serverless, _options, { log } = {}) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = {
      initialize: () => this.checkDeploy(),
      'before:package:initialize': () => this.warnPackageWithoutFlux(),
      // Needs AWS credentials, which only a deploy has.
      'before:deploy:deploy': () => this.checkPublishedLayerArchitecture(),
    };
  }

  publishedLayerArn() {
    const arn = (process.env.FLUX_LAYER_ARN || '').trim();
    return process.env.FLUX_LAYER === 'none' || !arn ? undefined : arn;
  }

  /** The worker is arm64 (serverless.yml): an amd64 flux would fail on the first diff with "exec format error". */
  async checkPublishedLayerArchitecture() {
    const arn = this.publishedLayerArn();
    if (!arn) return;
    const architecture = this.serverless.service.provider.architecture ?? 'x86_64';
    const layer = await this.serverless.getProvider('aws').request('Lambda', 'getLayerVersionByArn', { Arn: arn });
    const declared = layer?.CompatibleArchitectures ?? [];
    if (declared.length && !declared.includes(architecture)) {
      throw new this.serverless.classes.Error(`Refusing to deploy: FLUX_LAYER_ARN is a layer for ${declared.join(', ')}, but the worker runs on ${architecture}. Build it with node infra/flux-layer/build.mjs --arch ${architecture === 'arm64' ? 'arm64' : 'amd64'} and publish it with --compatible-architectures ${architecture}.`, 'FLUX_LAYER_ARCHITECTURE');
    }
    if (!declared.length) (this.log?.warning ?? console.warn)(`FLUX_LAYER_ARN declares no compatible architecture: make sure it holds a linux/${architecture} flux.`);
  }

  /** serverless.yml keys of the functions that need flux but have no layer attached. */
  functionsWithoutFlux(only) {
    const functions = this.serverless.service.functions ?? {};
    return FLUX_FUNCTIONS.filter((name) => functions[name] && (!only || only === name) && !(functions[name].layers ?? []).length);
  }

  checkDeploy() {
    const [command, subcommand] = this.serverless.processedInput?.commands ?? [];
    if (command !== 'deploy' || subcommand === 'list') return;
    // `deploy function -f x` replaces one function's code and configuration: only x matters.
    const only = subcommand === 'function' ? this.serverless.processedInput.options?.function : undefined;
    const arn = this.publishedLayerArn();
    const problem = arn && layerArnProblem(arn, this.serverless.service.provider.region);
    if (problem) throw new this.serverless.classes.Error(`Refusing to deploy: ${problem}.`, 'FLUX_LAYER_REGION');
    const missing = this.functionsWithoutFlux(only);
    if (!missing.length) return;
    throw new this.serverless.classes.Error(
      `Refusing to deploy: ${missing.join(', ')} would have no flux binary (${process.env.FLUX_LAYER === 'none' ? 'FLUX_LAYER=none' : 'infra/layer/bin/flux is missing and FLUX_LAYER_ARN is not set'}), so every diff would fail.\n${HOW_TO_FIX}`,
      'FLUX_LAYER_MISSING',
    );
  }

  warnPackageWithoutFlux() {
    const missing = this.functionsWithoutFlux();
    if (!missing.length) return;
    const warn = this.log?.warning ?? console.warn;
    warn(`Packaging ${missing.join(', ')} WITHOUT the flux layer: fine for checking the template, but \`serverless deploy\` will refuse.\n${HOW_TO_FIX}`);
  }
}
