import type { KnownBlock } from '@slack/web-api';
// The files, not the index.ts of commands, config and executors: the Slack ingress plans with this file, and
// those indexes carry the button decoders, the executors' schemas and their checks (README "Benchmark").
import type { Command } from '../../core/commands/command';
import type { FluxCliCommand } from '../../core/commands/flux-cli';
import { CommandError, UnknownCommand } from '../../core/commands/errors';
import { helpText } from '../../core/commands/help';
import { parseCommand } from '../../core/commands/parse';
import { findRepositoryRule } from '../../core/config/repository-rule';
import type { Config } from '../../core/config/schema';
import { builtinExecutorMeta } from '../../core/executors/builtin-meta';
import { inlineCodeList } from '../../adapters/slack/mrkdwn';
import type { AuditEntry } from '../../adapters/store';
import { channelMayUseCluster, diffTargetRefusal, isAdmin } from './authorize';
import { day2Refusal, type Day2Command } from './day2-refusal';
import { decideFluxCli } from './decide-flux-cli';
import { authorizeRun } from './authorize-run';
import { boundConfigurations, boundExecutors, decideExecutor, executorMetaIn, type ExecutorRun, type ExecutorSpecs } from './plan-executor';
import type { SlashCommand } from './slack-payloads';

/** What Slack shows in answer to a slash command: an HTTP response body, or what is posted to its response_url. */
export interface SlackReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  /** Block Kit, when the answer is an executor's message; `text` is then its notification fallback. */
  blocks?: KnownBlock[];
}

/** The work a slash command asks for once config.yaml allowed it; everything here needs the store or the queue. */
export type SlashWork =
  | { kind: 'diff'; repository: string; number: number; kustomization: string; cluster: string }
  | { kind: 'history'; command: Extract<Command, { kind: 'history' }> }
  | { kind: 'day2'; command: Day2Command }
  | { kind: 'flux-cli'; command: FluxCliCommand }
  | { kind: 'executor'; run: ExecutorRun }
  /** `help <executor>`: its own help, which only the consumer can give (it holds the executors' code and schemas). */
  | { kind: 'executor-help'; executor: string; bindings: string[] };

/**
 * A slash command decided from config.yaml alone: an answer (help, an unknown command, bad arguments, a
 * refusal; with the audit line a refused mutation leaves), or the work to queue.
 */
export type SlashPlan = { kind: 'answer'; reply: SlackReply; audit?: AuditEntry } | { kind: 'work'; work: SlashWork };

/**
 * The id of a refused command's audit line: the ingress (which queues it) and the consumer (which writes it
 * when it decides the refusal itself) use the same one, so a redelivery replaces the line instead of adding one.
 */
export const refusalAuditId = (triggerId: string) => `refused:${triggerId}`;

const answer = (text: string, audit?: AuditEntry): SlashPlan => ({ kind: 'answer', reply: { response_type: 'ephemeral', text }, ...(audit ? { audit } : {}) });

type DiffCommand = Extract<Command, { kind: 'diff-kustomization' }>;

/**
 * Which repository and PR a `--github-ref` names. A URL says it; a bare number needs the repository,
 * taken from the diff targets: the repositories that list this Kustomization (on this cluster, if given).
 */
function pullRequestOf(config: Config, command: DiffCommand): { repository: string; number: number } | string {
  const ref = command.githubRef;
  if (ref.type === 'pr-url') return { repository: `${ref.owner}/${ref.repo}`, number: ref.number };
  if (ref.type === 'branch') return `Diffing a branch is not supported yet: open a PR for \`${ref.name}\` and pass its number or URL.`;
  const kustomization = `${command.namespace}/${command.name}`;
  const candidates = config.repositories
    .filter((repo) => repo.diffs.some((d) => d.kustomization === kustomization && (!command.cluster || d.cluster === command.cluster)))
    .map((repo) => repo.name);
  const [only] = candidates;
  if (candidates.length === 1 && only) return { repository: only, number: ref.number };
  const example = `--github-ref https://github.com/${candidates[0] ?? config.repositories[0]?.name ?? 'owner/repo'}/pull/${ref.number}`;
  if (candidates.length === 0) {
    return `No configured repository diffs \`${kustomization}\`${command.cluster ? ` on \`${command.cluster}\`` : ''}: add it to \`repositories[].diffs\` in config.yaml, or check the name (\`-n\` sets the namespace, default flux-system).`;
  }
  return `\`${kustomization}\` is diffed for several repositories (${candidates.join(', ')}): give the PR as a URL, e.g. \`${example}\`.`;
}

/** The cluster a diff runs on: the one given, else the repository's only diff target for that Kustomization. */
function clusterOf(config: Config, command: DiffCommand, repository: string): string | undefined {
  if (command.cluster) return command.cluster;
  const targets = findRepositoryRule(config.repositories, repository)?.diffs.filter((d) => d.kustomization === `${command.namespace}/${command.name}`) ?? [];
  return targets.length === 1 ? targets[0]?.cluster : undefined;
}

function planDiff(config: Config, slash: SlashCommand, command: DiffCommand): SlashPlan {
  // A channel bound to other clusters hears that first: it is the answer that tells them where to go.
  const bound = command.cluster ? channelMayUseCluster(config, slash.channel_id, command.cluster) : undefined;
  if (bound && !bound.allowed) return answer(bound.reason);
  const pr = pullRequestOf(config, command);
  if (typeof pr === 'string') return answer(pr);
  const cluster = clusterOf(config, command, pr.repository);
  if (!cluster) return answer(`Which cluster? Add \`--cluster <name>\`; known clusters: ${inlineCodeList(Object.keys(config.clusters))}.`);
  const target = { ...pr, kustomization: `${command.namespace}/${command.name}`, cluster };
  const decision = authorizeRun(config, { user: slash.user_id, channel: slash.channel_id }, {
    mutating: builtinExecutorMeta('diff')?.mutating ?? true,
    clusters: [cluster],
    adminRefusal: 'Only Fluxline admins may diff.',
    audit: (reason) => ({ actor: slash.user_id, action: 'diff', where: slash.channel_id, target: `${target.repository}#${target.number} ${target.kustomization} on ${cluster}`, outcome: 'refused', detail: reason }),
  });
  if (!decision.allowed) return answer(decision.reason, decision.audit);
  const notATarget = diffTargetRefusal(config, target, { anyKustomization: isAdmin(config, slash.user_id) });
  if (notATarget) return answer(notATarget);
  return { kind: 'work', work: { kind: 'diff', ...pr, kustomization: `${command.namespace}/${command.name}`, cluster } };
}

/**
 * The grammar, then exactly the executors bound to this channel; `help <executor>` is that executor's own
 * help, given the channel's configurations of it, which the consumer renders (work, not an answer).
 */
function helpAnswer(config: Config, channel: string, topic: string | undefined): SlashPlan {
  const metaOf = executorMetaIn(config);
  const bound = boundExecutors(config, channel).flatMap((name) => {
    const meta = metaOf(name);
    return meta ? [meta] : [];
  });
  const asked = topic ? bound.find((meta) => meta.name === topic) : undefined;
  if (asked) return { kind: 'work', work: { kind: 'executor-help', executor: asked.name, bindings: boundConfigurations(config, channel, asked.name).names } };
  const executors = bound.length ? ['*Executors in this channel*', ...bound.map((meta) => `*\`/flux ${meta.name} …\`*: ${meta.description} (\`/flux help ${meta.name}\`)`)] : [];
  return answer([helpText(topic), ...executors].join('\n'));
}

/**
 * DESIGN §2: a Slack command that config alone can answer is answered in the HTTP response. Pure and
 * synchronous, so the ingress decides in microseconds and the consumer, deciding again with the config it
 * has, reaches the same answer.
 */
export function planSlashCommand(config: Config, slash: SlashCommand, specs: ExecutorSpecs = builtinExecutorMeta): SlashPlan {
  let command: Command;
  try {
    const executor = decideExecutor(config, { user: slash.user_id, channel: slash.channel_id, text: slash.text }, specs);
    if (executor?.kind === 'refused') return answer(executor.reason, executor.audit);
    if (executor?.kind === 'run') return { kind: 'work', work: { kind: 'executor', run: executor.run } };
    command = parseCommand(slash.text);
  } catch (err) {
    // A word we do not know: the nearest command, and the whole grammar to pick from.
    if (err instanceof UnknownCommand) return answer(`${err.message}\n\n${helpText()}`);
    if (err instanceof CommandError) return answer(err.message);
    throw err;
  }

  switch (command.kind) {
    case 'help':
      return helpAnswer(config, slash.channel_id, command.topic);
    case 'diff-kustomization':
      return planDiff(config, slash, command);
    case 'history':
      return { kind: 'work', work: { kind: 'history', command } };
    case 'list':
    case 'diff-environment':
    case 'promote':
    case 'rollback': {
      const refusal = day2Refusal(config, slash, command);
      return refusal ? answer(refusal.text, refusal.audit) : { kind: 'work', work: { kind: 'day2', command } };
    }
    case 'flux-cli': {
      const decision = decideFluxCli(config, { user: slash.user_id, channel: slash.channel_id, command: command.command });
      return decision.allowed ? { kind: 'work', work: { kind: 'flux-cli', command: command.command } } : answer(decision.reason, decision.audit);
    }
    default:
      return answer(`\`/flux ${slash.text.trim().split(/\s+/)[0] ?? ''}\` is understood but not available in this version of Fluxline yet. Try \`/flux help\`.`);
  }
}
