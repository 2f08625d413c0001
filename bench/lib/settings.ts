// Knobs (environment variables) and the constants every phase shares.

const knob = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

export const SETTINGS = {
  coldRuns: knob('BENCH_COLD_RUNS', 20),
  warmRequests: knob('BENCH_WARM_REQUESTS', 2000),
  burst: knob('BENCH_BURST', 1000),
  outageSeconds: knob('BENCH_OUTAGE_SECONDS', 30),
  outageDeliveries: knob('BENCH_OUTAGE_DELIVERIES', 300),
  diffRuns: knob('BENCH_DIFF_RUNS', 3),
  diffSizesMB: (process.env.BENCH_DIFF_SIZES_MB ?? '5,50,200').split(',').map(Number),
  /** The size whose repository the warm second diff uses; the first of diffSizesMB when it is not among them. */
  diffWarmMB: knob('BENCH_DIFF_WARM_MB', 50),
  /** The sizes also measured with the checkout from the tarball (FLUXLINE_SCOPED_CHECKOUT_MIN_MB=off): what a repository whose reach is not certain costs. */
  diffTarballSizesMB: (process.env.BENCH_DIFF_TARBALL_MB ?? '50,200').split(',').filter(Boolean).map(Number),
  skip: new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean)),
};
export const WARMUP = Math.min(100, Math.max(10, Math.round(SETTINGS.warmRequests / 20)));

export const SECRETS = { webhook: 'bench-webhook-secret', signing: 'bench-signing-secret', slackToken: 'xoxb-bench-token', kubeToken: 'bench-kube-token' };
export const APP_ID = '4711';
export const INSTALLATION = 4242;
export const REPOSITORY = 'acme/fleet';
export const FILES = ['clusters/stage/podinfo.yaml', 'apps/podinfo/release.yaml', 'README.md'];

export const log = (line: string): void => console.error(`[bench] ${line}`);
