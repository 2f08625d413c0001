import { z } from 'zod';

/** A regular expression as written in config.yaml; compiled here so a typo fails at load, not per request. */
const regex = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
  }
});

const slackId = (prefix: string, what: string) =>
  z.string().regex(new RegExp(`^${prefix}[A-Z0-9]+$`), `must be a Slack ${what} id such as ${prefix}0123ABCD`);

const kubeconfigSource = z.union([
  z.strictObject({ ssm: z.string().startsWith('/', 'an SSM parameter name starts with /') }),
  z.strictObject({ file: z.string().min(1), context: z.string().min(1).optional() }),
]);

export const clusterSchema = z.union([
  z.strictObject({ kubeconfig: kubeconfigSource }),
  z.strictObject({ eks: z.strictObject({ name: z.string().min(1), region: z.string().min(1), server: z.url().optional(), caData: z.string().optional() }) }),
]);

const pullRequestActions = ['opened', 'reopened', 'synchronize', 'ready_for_review', 'labeled', 'unlabeled', 'closed', 'edited', 'converted_to_draft'] as const;

export const repositorySchema = z.strictObject({
  name: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/repo'),
  pullRequests: z
    .strictObject({
      types: z.array(z.enum(pullRequestActions)).default(['opened', 'reopened', 'synchronize', 'ready_for_review']),
      paths: z.strictObject({ include: z.array(regex).default([]), exclude: z.array(regex).default([]) }).default({ include: [], exclude: [] }),
      labels: z.strictObject({ include: z.array(z.string()).default([]), exclude: z.array(z.string()).default([]) }).default({ include: [], exclude: [] }),
      drafts: z.boolean().default(false),
      forks: z.enum(['notify-only', 'diff-by-admin', 'diff']).default('notify-only'),
      autoDiff: z.boolean().default(false),
    })
    .prefault({}),
  diffs: z.array(z.strictObject({ kustomization: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be namespace/name'), cluster: z.string().min(1) })).default([]),
  channel: slackId('C', 'channel').optional(),
});

/** A folder of the GitOps repository, relative to its root: `clusters/prod`, never `/x` or `../x`. */
const gitopsPath = z
  .string()
  .min(1)
  .refine((path) => !path.startsWith('/') && !path.split('/').includes('..'), 'must be a folder relative to the repository root, without `..`')
  .transform((path) => path.replace(/^\.\//, '').replace(/\/+$/, ''));

/** What the cross-key check may see when other keys failed to parse. */
type DeepPartialConfig = {
  gitops?: { paths?: Record<string, unknown> };
  clusters?: Record<string, unknown>;
  repositories?: { diffs?: { cluster?: unknown }[] }[];
  slack?: { channels?: Record<string, { clusters?: unknown[] }> };
};

export const configSchema = z
  .strictObject({
    slack: z.strictObject({
      channel: slackId('C', 'channel'),
      admins: z.array(slackId('[UW]', 'user')).default([]),
      approvers: z.array(slackId('[UW]', 'user')).optional(),
      channels: z
        .record(
          slackId('C', 'channel'),
          z.strictObject({ clusters: z.array(z.string()).min(1), group: z.string().optional(), user: z.string().optional() }),
        )
        .default({}),
    }),
    clusters: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'cluster names are lowercase words'), clusterSchema),
    repositories: z.array(repositorySchema).default([]),
    gitops: z
      .strictObject({
        repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/repo'),
        branch: z.string().default('main'),
        mode: z.enum(['commit', 'pull-request']).default('commit'),
        /** Per environment (cluster name), the folder of the GitOps repository promote looks under; default `clusters/<env>`. */
        paths: z.record(z.string(), gitopsPath).default({}),
      })
      .optional(),
    apps: z.strictObject({ namespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name')).default([]) }).default({ namespaces: [] }),
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
      for (const env of Object.keys(config?.gitops?.paths ?? {})) {
        if (unknown(env)) ctx.addIssue({ code: 'custom', path: ['gitops', 'paths', env], message: `unknown environment "${env}": environments are cluster names; ${known}` });
      }
      for (const [channel, binding] of Object.entries(config?.slack?.channels ?? {})) {
        (Array.isArray(binding?.clusters) ? binding.clusters : []).forEach((cluster, i) => {
          if (unknown(cluster)) ctx.addIssue({ code: 'custom', path: ['slack', 'channels', channel, 'clusters', i], message: `unknown cluster "${String(cluster)}"; ${known}` });
        });
      }
    }, { when: (payload) => typeof payload.value === 'object' && payload.value !== null }),
  );

export type Config = z.infer<typeof configSchema>;

export type RepositoryRule = z.infer<typeof repositorySchema>;
export type PullRequestRules = RepositoryRule['pullRequests'];
export type DiffTarget = RepositoryRule['diffs'][number];
export type ClusterAccess = z.infer<typeof clusterSchema>;
export type GitopsConfig = NonNullable<Config['gitops']>;
