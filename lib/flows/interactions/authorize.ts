// config's files, not its index.ts (whose loader checks the executors' schemas): the Slack ingress imports this file.
import { channelBinding, isKnownCluster } from '../../core/config/lookup';
import { findRepositoryRule, isConfiguredDiffTarget } from '../../core/config/repository-rule';
import type { Config } from '../../core/config/schema';
// The mrkdwn helpers alone: the Slack ingress plans with this file and must not bundle WebClient.
import { inlineCode, inlineCodeList } from '../../adapters/slack/mrkdwn';

/** Why a user may not do something, in words for the user. */
export type Refusal = { allowed: false; reason: string };
export type Permission = { allowed: true; impersonate?: { user?: string; group?: string } } | Refusal;

export function isAdmin(config: Config, user: string): boolean {
  return config.slack.admins.includes(user);
}

export function isApprover(config: Config, user: string): boolean {
  return (config.slack.approvers ?? config.slack.admins).includes(user);
}

/**
 * Which clusters a channel may touch. A channel with a binding is limited to its clusters (and runs as
 * the binding's Kubernetes user/group); the default notice channel and admins' DMs may reach all.
 */
export function channelMayUseCluster(config: Config, channel: string, cluster: string): Permission {
  if (!isKnownCluster(config, cluster)) return { allowed: false, reason: `Unknown cluster ${inlineCode(cluster)}. Known clusters: ${inlineCodeList(Object.keys(config.clusters))}.` };
  const binding = channelBinding(config, channel);
  if (binding) {
    if (!binding.clusters.includes(cluster)) {
      return { allowed: false, reason: `This channel may use ${inlineCodeList(binding.clusters)} only, not ${inlineCode(cluster)}. Ask an admin to add it to \`slack.channels.${channel}\` in config.yaml.` };
    }
    const impersonate = { ...(binding.user ? { user: binding.user } : {}), ...(binding.group ? { group: binding.group } : {}) };
    return Object.keys(impersonate).length ? { allowed: true, impersonate } : { allowed: true };
  }
  const bound = Object.keys(config.slack.channels).length > 0;
  if (bound && channel !== config.slack.channel) {
    return { allowed: false, reason: `This channel is not bound to any cluster. Use <#${config.slack.channel}> or ask an admin to add \`slack.channels.${channel}\` to config.yaml.` };
  }
  return { allowed: true };
}

/** The repository's fork policy, applied to the user who asks for a diff of a fork PR. */
export function mayDiffFork(config: Config, policy: 'notify-only' | 'diff-by-admin' | 'diff', user: string): Permission {
  if (policy === 'diff') return { allowed: true };
  if (policy === 'diff-by-admin' && isAdmin(config, user)) return { allowed: true };
  return {
    allowed: false,
    reason:
      policy === 'notify-only'
        ? 'This PR comes from a fork, and this repository does not diff fork PRs (`forks: notify-only`): its code would run through `flux diff` against the cluster.'
        : 'This PR comes from a fork: only Fluxline admins may diff it (`forks: diff-by-admin`). Ask an admin to review the code and click Flux diff.',
  };
}

/**
 * Whether a diff may target this Kustomization of this repository, in words when not. Buttons are only
 * ever built from `repositories[].diffs` and the targets the PR's notice found on the clusters (stored with
 * the notice, `noticeTargets`), so a button for anything else was crafted or is stale; a typed
 * `/flux diff ks` is held to the same lists, except for admins (`anyKustomization`), who may diff any
 * Kustomization of a configured repository (the worker still checks that it builds from that repository).
 */
export function diffTargetRefusal(
  config: Config,
  target: { repository: string; kustomization: string; cluster: string },
  options: { anyKustomization?: boolean; noticeTargets?: readonly { kustomization: string; cluster: string }[] } = {},
): string | undefined {
  const rule = findRepositoryRule(config.repositories, target.repository);
  if (!rule) {
    const known = config.repositories.map((repo) => repo.name);
    return `${target.repository} is not a repository Fluxline diffs${known.length ? ` (configured: ${known.join(', ')})` : ''}: add it to \`repositories\` in config.yaml.`;
  }
  if (options.anyKustomization || isConfiguredDiffTarget(rule, target)) return undefined;
  if (options.noticeTargets?.some((found) => found.kustomization === target.kustomization && found.cluster === target.cluster)) return undefined;
  const offered = [...rule.diffs, ...(options.noticeTargets ?? [])].map((diff) => `\`${diff.kustomization}\` on \`${diff.cluster}\``);
  return `\`${target.kustomization}\` on \`${target.cluster}\` is not a diff target of ${rule.name} for this PR. ${
    offered.length ? `Its targets: ${[...new Set(offered)].join(', ')}.` : 'It has no targets.'
  } Ask an admin to add it to \`repositories[].diffs\` in config.yaml.`;
}
