// The files, not the index.ts of commands and config: the Slack ingress plans with this file (README "Benchmark").
import { eachFluxCliVerb, type Command } from '../../core/commands/command';
import { helpText } from '../../core/commands/help';
import type { CommandOf } from '../../core/commands/parse';
import { findRepositoryRule } from '../../core/config/repository-rule';
import type { Config } from '../../core/config/schema';
import type { GrammarBuiltinName } from '../../core/executors/builtin-meta';
import { inlineCodeList } from '../../adapters/slack/mrkdwn';
import { channelMayUseCluster, diffTargetRefusal, isAdmin } from './authorize';
import type { PlanOutcome } from './authorize-run';
import { planDay2 } from './day2-refusal';
import { planFluxCli } from './decide-flux-cli';
import { boundConfigurations, boundExecutors, executorMetaIn, type ExecutorSpecs } from './plan-executor';

export interface Ask {
  user: string;
  channel: string;
}

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

export interface DiffTarget {
  repository: string;
  number: number;
  kustomization: string;
  cluster: string;
}

/** `diff ks`: the PR and the cluster; the Kustomization must be a diff target of the repository (any one, for an admin). */
function planDiffKustomization(config: Config, ask: Ask, command: DiffCommand): PlanOutcome<{ target: DiffTarget }> {
  // A channel bound to other clusters hears that first: it is the answer that tells them where to go.
  const bound = command.cluster ? channelMayUseCluster(config, ask.channel, command.cluster) : undefined;
  if (bound && !bound.allowed) return bound.reason;
  const pr = pullRequestOf(config, command);
  if (typeof pr === 'string') return pr;
  const cluster = clusterOf(config, command, pr.repository);
  if (!cluster) return `Which cluster? Add \`--cluster <name>\`; known clusters: ${inlineCodeList(Object.keys(config.clusters))}.`;
  const target = { ...pr, kustomization: `${command.namespace}/${command.name}`, cluster };
  return { request: { target }, clusters: [cluster], precondition: () => diffTargetRefusal(config, target, { anyKustomization: isAdmin(config, ask.user) }) };
}

/**
 * The grammar, then exactly the executors bound to this channel; `help <executor>` is that executor's own
 * help, given the channel's configurations of it, which the consumer renders (it holds the executors' code).
 */
function planHelp(config: Config, ask: Ask, topic: string | undefined, specs: ExecutorSpecs): PlanOutcome<{ topic: string; bindings: string[] }> {
  const metaOf = (name: string) => specs(name) ?? executorMetaIn(config)(name);
  const bound = boundExecutors(config, ask.channel).flatMap((name) => {
    const meta = metaOf(name);
    return meta ? [meta] : [];
  });
  const asked = topic ? bound.find((meta) => meta.name === topic) : undefined;
  if (asked) return { request: { topic: asked.name, bindings: boundConfigurations(config, ask.channel, asked.name).names }, clusters: [] };
  const executors = bound.length ? ['*Executors in this channel*', ...bound.map((meta) => `*\`/flux ${meta.name} …\`*: ${meta.description} (\`/flux help ${meta.name}\`)`)] : [];
  return [helpText(topic), ...executors].join('\n');
}

type FluxCli = Extract<Command, { kind: 'flux-cli' }>;
const fluxCli = (config: Config, ask: Ask, command: FluxCli) => planFluxCli(config, ask, command.command);

/**
 * The ingress half of every built-in of the grammar: its typed command (parse.ts GRAMMAR) to its request and
 * the clusters it acts on. Pure, from config.yaml alone; the dispatcher then authorizes, once, for all.
 * `specs` is the registry the dispatcher reads the executors' metadata from (help lists the bound ones).
 */
export const BUILTIN_PLANS = {
  help: (config: Config, ask: Ask, command: CommandOf<'help'>, specs: ExecutorSpecs) => planHelp(config, ask, command.topic, specs),
  diff: (config: Config, ask: Ask, command: CommandOf<'diff'>) => (command.kind === 'diff-kustomization' ? planDiffKustomization(config, ask, command) : planDay2(config, ask, command)),
  list: (config: Config, ask: Ask, command: CommandOf<'list'>) => planDay2(config, ask, command),
  promote: (config: Config, ask: Ask, command: CommandOf<'promote'>) => planDay2(config, ask, command),
  rollback: (config: Config, ask: Ask, command: CommandOf<'rollback'>) => planDay2(config, ask, command),
  history: (_config: Config, _ask: Ask, command: CommandOf<'history'>) => ({ request: { command }, clusters: [] }),
  ...eachFluxCliVerb(fluxCli),
} satisfies { [Name in GrammarBuiltinName]: (config: Config, ask: Ask, command: CommandOf<Name>, specs: ExecutorSpecs) => PlanOutcome<object> };

/** The request a built-in's `execute` gets from its plan. */
export type BuiltinRequest<Name extends GrammarBuiltinName> = Exclude<ReturnType<(typeof BUILTIN_PLANS)[Name]>, string>['request'];
