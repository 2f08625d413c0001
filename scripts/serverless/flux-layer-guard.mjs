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

export default class FluxLayerGuard {
  constructor(serverless, _options, { log } = {}) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = {
      initialize: () => this.checkDeploy(),
      'before:package:initialize': () => this.warnPackageWithoutFlux(),
    };
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
