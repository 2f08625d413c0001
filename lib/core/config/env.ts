import { MissingEnvironmentVariable } from './errors';

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads a required variable, naming it and how to fix it when it is missing. */
export function requireEnv(env: Env, name: string, hint: string): string {
  const value = env[name];
  if (!value) throw new MissingEnvironmentVariable(name, hint);
  return value;
}

/** The plain settings of DESIGN §2 with their defaults; secrets stay in `env` and are read where used. */
export function settingsFrom(env: Env) {
  return {
    configLocation: env.FLUXLINE_CONFIG,
    tableName: env.TABLE_NAME || 'fluxline',
    dynamoDbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    /** One DynamoDB attempt's budget (lib/adapters/store StoreTimeouts.requestMs); unset = the adapter's default. */
    dynamoDbRequestTimeoutMs: positiveOrUndefined(env.DYNAMODB_REQUEST_TIMEOUT_MS),
    jobsQueueUrl: env.JOBS_QUEUE_URL || undefined,
    githubApiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    slackApiUrl: ensureTrailingSlash(env.SLACK_API_URL || 'https://slack.com/api/'),
    fluxBin: env.FLUX_BIN || '/opt/bin/flux',
    /** PATH for the flux process: the function's own (not a secret, unlike the rest of its environment). */
    fluxPath: env.PATH || '/usr/local/bin:/usr/bin:/bin',
    /** Kept well below the worker's Lambda timeout, so a hung flux is reported rather than cut off. */
    fluxTimeoutMs: positiveSeconds(env.FLUX_TIMEOUT_SECONDS, 300) * 1000,
    /** Bytes of checkouts the worker keeps in /tmp between warm invocations (issue #20); unset = none kept. */
    checkoutCacheBytes: (positiveOrUndefined(env.FLUXLINE_CHECKOUT_CACHE_MB) ?? 0) * 1024 * 1024,
    /**
     * Repositories from this size are checked out file by file, only what a diff reads, when the cluster
     * says what that is (issue #20, lib/flows/diffs/scoped-checkout.ts); `off`: always the tarball.
     */
    scopedCheckoutMinBytes: scopedCheckoutMinBytes(env.FLUXLINE_SCOPED_CHECKOUT_MIN_MB),
    /** Not secret; it scopes delivery ids, which are unique per app. */
    githubAppId: env.GITHUB_APP_ID || undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
  };
}

export type Settings = ReturnType<typeof settingsFrom>;

function positiveSeconds(raw: string | undefined, fallback: number): number {
  const seconds = Number(raw);
  return raw && Number.isFinite(seconds) && seconds > 0 ? seconds : fallback;
}

function positiveOrUndefined(raw: string | undefined): number | undefined {
  const value = Number(raw);
  return raw && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Default 8 MB: below it one tarball costs about what a tree listing and a few rounds of contents calls do. */
function scopedCheckoutMinBytes(raw: string | undefined): number | undefined {
  if (raw?.trim().toLowerCase() === 'off') return undefined;
  const mb = Number(raw);
  return (raw && Number.isFinite(mb) && mb >= 0 ? mb : 8) * 1024 * 1024;
}

function ensureTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
