import * as z from '../validation';
import { onFirstUse } from '../validation/on-first-use';
import { COMMAND_WORDS } from '../commands/parse';
import { REFUSED_FLUX_VERBS } from '../commands/flux-cli';
// The names alone: each configuration is checked against its executor's schema by load-checked.ts.
import { BUILTIN_EXECUTORS } from '../executors/builtin-meta';
import { DEFAULT_ADMIN_APPROVAL, DEFAULT_PROTECTED_NAMESPACES, RISK_FLAG_IDS } from './risk-flag-ids';

/** What the cross-key check may see when other keys failed to parse. */
type DeepPartialConfig = {
  gitops?: { paths?: Record<string, unknown> };
  clusters?: Record<string, unknown>;
  repositories?: { diffs?: { cluster?: unknown }[] }[];
  slack?: { channels?: Record<string, { clusters?: unknown[]; executors?: unknown[] }> };
  executors?: Record<string, { use?: unknown; config?: unknown; http?: unknown; lambda?: unknown } | undefined>;
};

/** Words the chat grammar already owns: an executor of that name could never be reached (or would shadow a command). */
const RESERVED_WORDS: readonly string[] = [...COMMAND_WORDS, ...REFUSED_FLUX_VERBS];

/**
 * The schemas, built on first use: the Slack ingress loads this module on every cold start, and a click
 * (most of its requests) needs no config, so it should not pay for building ~40 zod schemas (DESIGN §2: a cold
 * start is on the answer's path).
 */
function buildSchemas() {
  /** A regular expression as written in config.yaml; compiled here so a typo fails at load, not per request. */
  const regex = z.string().check(
    z.superRefine((source, ctx) => {
      try {
        new RegExp(source);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
      }
    }),
  );

  /** What an out-of-process executor declares in config.yaml, since Fluxline cannot ask it before it runs. */
  const remoteExecutorFields = {
    /** Unknown code changes things until its configuration says otherwise: admins only, every run audited. */
    mutating: z._default(z.boolean(), true),
    /** One line for `/flux help`. */
    description: z.optional(z.string().check(z.maxLength(200))),
    /** The whole run, connect to last byte (the worker's own timeout is 360 s). */
    // A refine, not z.int/z.lte: those checks would be new bytes in the Slack ingress bundle (≤ 150 KB, README "Benchmark").
    timeoutSeconds: z.optional(z.number().check(z.refine((seconds) => Number.isInteger(seconds) && seconds > 0 && seconds <= 300, 'a whole number of seconds from 1 to 300'))),
  };

  const slackId = (prefix: string, what: string) =>
    z.string().check(z.regex(new RegExp(`^${prefix}[A-Z0-9]+$`), `must be a Slack ${what} id such as ${prefix}0123ABCD`));

  const kubeconfigSource = z.union([
    z.strictObject({ ssm: z.string().check(z.startsWith('/', 'an SSM parameter name starts with /')) }),
    z.strictObject({ file: z.string().check(z.minLength(1)), context: z.optional(z.string().check(z.minLength(1))) }),
  ]);

  /**
   * The clusters this cluster's Kustomizations apply to through `spec.kubeConfig`: `<namespace>/<name>` of the
   * Secret (or ConfigMap) the Kustomization names there, to the configured cluster it reaches. A diff of such a
   * Kustomization dry-runs against that cluster's access; without an entry it is refused.
   */
  const remoteClusters = z.optional(z.record(z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'keys are <namespace>/<name> of the spec.kubeConfig Secret or ConfigMap')), z.string()));
  const clusterSchema = z.union([
    z.strictObject({ kubeconfig: kubeconfigSource, remoteClusters }),
    z.strictObject({
      eks: z.strictObject({ name: z.string().check(z.minLength(1)), region: z.string().check(z.minLength(1)), server: z.optional(z.url()), caData: z.optional(z.string()) }),
      remoteClusters,
    }),
  ]);

  const pullRequestActions = ['opened', 'reopened', 'synchronize', 'ready_for_review', 'labeled', 'unlabeled', 'closed', 'edited', 'converted_to_draft'] as const;

  const repositorySchema = z.strictObject({
    name: z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/repo')),
    pullRequests: z.prefault(
      z.strictObject({
        types: z._default(z.array(z.enum(pullRequestActions)), ['opened', 'reopened', 'synchronize', 'ready_for_review']),
        paths: z._default(z.strictObject({ include: z._default(z.array(regex), []), exclude: z._default(z.array(regex), []) }), { include: [], exclude: [] }),
        labels: z._default(z.strictObject({ include: z._default(z.array(z.string()), []), exclude: z._default(z.array(z.string()), []) }), { include: [], exclude: [] }),
        drafts: z._default(z.boolean(), false),
        forks: z._default(z.enum(['notify-only', 'diff-by-admin', 'diff']), 'notify-only'),
        autoDiff: z._default(z.boolean(), false),
      }),
      {},
    ),
    diffs: z._default(z.array(z.strictObject({ kustomization: z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/, 'must be namespace/name')), cluster: z.string().check(z.minLength(1)) })), []),
    /** Find the PR's targets on the clusters (lib/flows/diffs/discover-targets.ts); false: `diffs` alone, no cluster call from the notice. */
    discover: z._default(z.boolean(), true),
    channel: z.optional(slackId('C', 'channel')),
  });

  /** A folder of the GitOps repository, relative to its root: `clusters/prod`, never `/x` or `../x`. */
  const gitopsPath = z.pipe(
    z.string().check(
      z.minLength(1),
      z.refine((path) => !path.startsWith('/') && !path.split('/').includes('..'), 'must be a folder relative to the repository root, without `..`'),
    ),
    z.transform((path) => path.replace(/^\.\//, '').replace(/\/+$/, '')),
  );

  const flagList = z.array(z.enum(RISK_FLAG_IDS));
  /**
   * Which risk flags of a diff need an admin to approve the PR from Slack. `clusters` and `repositories`
   * replace `adminApproval` for a diff on that cluster or of that repository (both set: the union).
   */
  const policySchema = z.strictObject({
    adminApproval: z._default(flagList, [...DEFAULT_ADMIN_APPROVAL]),
    protectedNamespaces: z._default(z.array(z.string().check(z.minLength(1))), [...DEFAULT_PROTECTED_NAMESPACES]),
    clusters: z._default(z.record(z.string(), z.strictObject({ adminApproval: flagList })), {}),
    repositories: z._default(z.record(z.string(), z.strictObject({ adminApproval: flagList })), {}),
  });

  const configSchema = z
    .strictObject({
      slack: z.strictObject({
        channel: slackId('C', 'channel'),
        admins: z._default(z.array(slackId('[UW]', 'user')), []),
        approvers: z.optional(z.array(slackId('[UW]', 'user'))),
        channels: z._default(
          z.record(
            slackId('C', 'channel'),
            z.strictObject({
              clusters: z.array(z.string()).check(z.minLength(1)),
              group: z.optional(z.string()),
              user: z.optional(z.string()),
              /** Names under `executors:` this channel may run, in binding order. */
              executors: z.optional(z.array(z.string())),
            }),
          ),
          {},
        ),
      }),
      // The grammar commands and button values hold a cluster name to (lib/core/commands CLUSTER_NAME).
      clusters: z.record(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'cluster names are lowercase words of at most 63 characters')), clusterSchema),
      repositories: z._default(z.array(repositorySchema), []),
      gitops: z.optional(
        z.strictObject({
          repository: z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/repo')),
          branch: z._default(z.string(), 'main'),
          mode: z._default(z.enum(['commit', 'pull-request']), 'commit'),
          /** Per environment (cluster name), the folder of the GitOps repository promote looks under; default `clusters/<env>`. */
          paths: z._default(z.record(z.string(), gitopsPath), {}),
        }),
      ),
      /**
       * Executors (issue #19), as Botkube configures them: a name, then a built-in it `use`s with its
       * `config` (checked below against that executor's own schema), or an out-of-process `http` endpoint.
       */
      executors: z._default(
        z.record(
          // Names are checked in the cross-key pass below: a record key's own issue says only "Invalid key in record".
          z.string(),
          // One object rather than a union of the two forms: a union's error is only "Invalid input", with no key.
          z
            .strictObject({
              use: z.optional(z.enum(BUILTIN_EXECUTORS)),
              config: z.optional(z.unknown()),
              // Out of process (lib/adapters/executors-remote): `config` is then passed to it as written.
              http: z.optional(
                z.strictObject({
                  // http:// is for an executor on the same machine in a local run; anything that crosses a network is TLS.
                  url: z.url({ protocol: /^https?$/, error: 'must be an https:// URL' }).check(
                    z.refine((url) => url.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url), 'must be an https:// URL (http:// only to localhost, for local runs)'),
                  ),
                  // The HMAC key shared with the executor: an SSM parameter, which is the only form a deploy
                  // grants and checks (scripts/serverless/executor-grants.cjs, GET /health?deep=1); or, for
                  // `npm start` on a laptop without SSM, an environment variable of its own prefix, so that
                  // no Fluxline secret (SLACK_SIGNING_SECRET, …) can be named and handed to an executor.
                  secret: z
                    .strictObject({
                      ssm: z.optional(z.string().check(z.startsWith('/', 'an SSM parameter name starts with /'))),
                      env: z.optional(z.string().check(z.regex(/^FLUXLINE_EXECUTOR_[A-Z0-9_]{1,64}$/, 'must be an environment variable named FLUXLINE_EXECUTOR_<SOMETHING> (A-Z, 0-9, _)'))),
                    })
                    .check(z.refine((secret) => (secret.ssm === undefined) !== (secret.env === undefined), 'give exactly one of `ssm: /parameter/name` or, for npm start only, `env: FLUXLINE_EXECUTOR_<NAME>`')),
                  ...remoteExecutorFields,
                }),
              ),
              lambda: z.optional(
                z.strictObject({
                  arn: z.string().check(
                    z.regex(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$/, 'must be a Lambda function ARN: arn:aws:lambda:<region>:<account>:function:<name>'),
                  ),
                  ...remoteExecutorFields,
                }),
              ),
            })
            .check(
              z.refine(
                (entry) => [entry.use, entry.http, entry.lambda].filter((form) => form !== undefined).length === 1,
                'give exactly one of `use: <built-in>` (with its `config`), `http: { url, secret }` or `lambda: { arn }`',
              ),
            ),
        ),
        {},
      ),
      apps: z._default(
        z.strictObject({ namespaces: z._default(z.array(z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name'))), []) }),
        { namespaces: [] },
      ),
      policy: z.prefault(policySchema, {}),
    })
    .check(
      z.superRefine((config: DeepPartialConfig, ctx) => {
        // A diff target or channel binding naming a cluster that does not exist would only fail at click
        // time. This runs even when other keys are bad (`when` below), so one load reports every problem;
        // hence the defensive reads.
        const clusters = Object.keys(config?.clusters ?? {});
        const unknown = (name: unknown) => typeof name === 'string' && !clusters.includes(name);
        const known = `known: ${clusters.join(', ') || 'none'}`;
        (Array.isArray(config?.repositories) ? config.repositories : []).forEach((repo, r) =>
          (Array.isArray(repo?.diffs) ? repo.diffs : []).forEach((diff, d) => {
            if (unknown(diff?.cluster)) {
              ctx.addIssue({ code: 'custom', path: ['repositories', r, 'diffs', d, 'cluster'], message: `unknown cluster "${String(diff.cluster)}"; ${known}` });
            }
          }),
        );
        for (const [name, cluster] of Object.entries(config?.clusters ?? {})) {
          const remotes = cluster && typeof cluster === 'object' ? (cluster as { remoteClusters?: unknown }).remoteClusters : undefined;
          for (const [ref, remote] of Object.entries(remotes && typeof remotes === 'object' ? remotes : {})) {
            if (unknown(remote)) ctx.addIssue({ code: 'custom', path: ['clusters', name, 'remoteClusters', ref], message: `unknown cluster "${String(remote)}"; ${known}` });
            else if (remote === name) ctx.addIssue({ code: 'custom', path: ['clusters', name, 'remoteClusters', ref], message: 'a remote cluster is another cluster than the one whose controller applies it' });
          }
        }
        for (const env of Object.keys(config?.gitops?.paths ?? {})) {
          if (unknown(env)) ctx.addIssue({ code: 'custom', path: ['gitops', 'paths', env], message: `unknown environment "${env}": environments are cluster names; ${known}` });
        }
        const executors = config?.executors && typeof config.executors === 'object' ? config.executors : {};
        const executorNames = Object.keys(executors);
        for (const [channel, binding] of Object.entries(config?.slack?.channels ?? {})) {
          (Array.isArray(binding?.clusters) ? binding.clusters : []).forEach((cluster, i) => {
            if (unknown(cluster)) ctx.addIssue({ code: 'custom', path: ['slack', 'channels', channel, 'clusters', i], message: `unknown cluster "${String(cluster)}"; ${known}` });
          });
          (Array.isArray(binding?.executors) ? binding.executors : []).forEach((name, i) => {
            if (typeof name === 'string' && !Object.hasOwn(executors, name)) {
              ctx.addIssue({ code: 'custom', path: ['slack', 'channels', channel, 'executors', i], message: `unknown executor "${name}"; known: ${executorNames.join(', ') || 'none'}` });
            }
          });
        }
        // Executor names, and the http form.
        for (const [name, entry] of Object.entries(executors)) {
          if (!/^[a-z][a-z0-9-]{0,39}$/.test(name)) ctx.addIssue({ code: 'custom', path: ['executors', name], message: 'executor names are lowercase words of at most 40 characters (a-z, 0-9, -)' });
          else if (RESERVED_WORDS.includes(name)) ctx.addIssue({ code: 'custom', path: ['executors', name], message: 'is a Fluxline command word; choose another executor name' });
          if (entry && typeof entry === 'object' && ('http' in entry || 'lambda' in entry)) {
            // Its name is what `/flux <name>` runs: a built-in's name would be ambiguous.
            if ((BUILTIN_EXECUTORS as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', path: ['executors', name], message: 'is the name of a built-in executor; choose another name for an http or lambda executor' });
            continue;
          }
          // Each `config` against its executor's own schema: lib/core/config/load-checked.ts (not in the Slack ingress).
        }
      }, { when: (payload) => typeof payload.value === 'object' && payload.value !== null }),
    );

  return { clusterSchema, repositorySchema, policySchema, configSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;

export const configSchemas: () => Schemas = onFirstUse(buildSchemas);

export type Config = z.infer<Schemas['configSchema']>;

export type RepositoryRule = z.infer<Schemas['repositorySchema']>;
export type PullRequestRules = RepositoryRule['pullRequests'];
export type DiffTarget = RepositoryRule['diffs'][number];
export type ClusterAccess = z.infer<Schemas['clusterSchema']>;
export type GitopsConfig = NonNullable<Config['gitops']>;
export type PolicyConfig = Config['policy'];
