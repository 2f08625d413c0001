// Metadata only: the Slack ingress plans with this file, and the executors' schemas stay in the consumers.
import { builtinExecutorMeta, type ExecutorMeta } from '../../core/executors/builtin-meta';
import { channelBinding, executorEntry, executorOfEntry, remoteExecutor } from '../../core/config/lookup';
import type { Config } from '../../core/config/schema';
import { CommandError } from '../../core/commands/errors';
import { tokenize } from '../../core/commands/tokenize';
import { inlineCode, inlineCodeList } from '../../adapters/slack/mrkdwn';
import type { AuditEntry } from '../../adapters/store';
import { authorizePlanned, type PlanOutcome } from './authorize-run';
import { chooseCluster } from './decide-flux-cli';

/** One executor run, decided from config.yaml: what the consumer runs, or queues for the worker, as is. */
export interface ExecutorRun {
  /** The executor (`use:`) that runs. */
  executor: string;
  /** The `executors:` entries whose configurations it gets, in the channel's binding order. */
  bindings: string[];
  args: string[];
  /** When the executor needs the cluster: which one, and as whom (the channel binding's identity). */
  cluster?: string;
  impersonate?: { user?: string; group?: string };
}

export type ExecutorDecision =
  | { kind: 'run'; run: ExecutorRun; spec: ExecutorMeta }
  | { kind: 'refused'; reason: string; audit?: AuditEntry };

/** Looks an executor's metadata up by name; tests hand in their own executors. */
export type ExecutorSpecs = (name: string) => ExecutorMeta | undefined;

/**
 * A built-in's metadata, else that of an out-of-process executor of config.yaml (`http:`, `lambda:`), by
 * name: from config alone, so the ingress routes and authorizes it without calling it. It never gets the
 * cluster (it acts with its own credentials).
 */
export function executorMetaIn(config: Config): ExecutorSpecs {
  return (name) => {
    const builtin = builtinExecutorMeta(name);
    if (builtin) return builtin;
    const remote = remoteExecutor(config, name);
    if (!remote) return undefined;
    const form = remote.kind === 'http' ? remote.http : remote.lambda;
    return { name, version: 'remote', description: form.description ?? `runs the ${remote.kind === 'http' ? 'HTTP' : 'Lambda'} executor configured as \`${name}\`.`, mutating: form.mutating, needsCluster: false };
  };
}

/** The executor a chat word names: a built-in some `executors:` entry uses, or an entry's own name. */
function executorOfWord(config: Config, word: string): string | undefined {
  const entry = executorEntry(config, word);
  if (entry) return executorOfEntry(word, entry);
  return Object.values(config.executors).some((candidate) => candidate.use === word) ? word : undefined;
}

/** The configurations of `executor` bound to the channel, in binding order (all of them, or only the one named). */
export function boundConfigurations(config: Config, channel: string, executor: string, named?: string): { names: string[]; configs: unknown[] } {
  const names = (channelBinding(config, channel)?.executors ?? []).filter((name) => {
    const entry = executorEntry(config, name);
    return entry !== undefined && executorOfEntry(name, entry) === executor && (named === undefined || named === name);
  });
  return { names, configs: names.map((name) => executorEntry(config, name)?.config ?? {}) };
}

/** Executors bound to a channel, each once, in binding order: what `help` lists. */
export function boundExecutors(config: Config, channel: string): string[] {
  const uses = (channelBinding(config, channel)?.executors ?? []).flatMap((name) => {
    const entry = executorEntry(config, name);
    return entry ? [executorOfEntry(name, entry)] : [];
  });
  return [...new Set(uses)];
}

/** Takes `--cluster C` (Fluxline's cluster name, checked against the channel binding) out of the executor's arguments. */
function takeCluster(args: string[]): { cluster?: string; rest: string[] } {
  const rest: string[] = [];
  let cluster: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (word === '--cluster') {
      cluster = args[++i];
      if (!cluster) throw new CommandError('Option `--cluster` needs a value.');
    } else if (word.startsWith('--cluster=')) cluster = word.slice('--cluster='.length);
    else rest.push(word);
  }
  return { ...(cluster ? { cluster } : {}), rest };
}

/** A configured executor the first word names, and its plan (the run's request, or why it cannot run here). */
export interface ConfiguredTarget {
  executor: string;
  meta: ExecutorMeta;
  planned: PlanOutcome<Omit<ExecutorRun, 'executor' | 'impersonate'>>;
}

/**
 * The plan of a configured executor (issue #19): the first word names it; the channel must have it bound
 * (`slack.channels.<id>.executors`); one that needs the cluster gets it by the flux commands' rules.
 * Undefined when the first word names no configured executor, so the built-in grammar reads it.
 */
export function planConfigured(config: Config, ask: { user: string; channel: string; text: string }, specs: ExecutorSpecs = builtinExecutorMeta): ConfiguredTarget | undefined {
  if (Object.keys(config.executors).length === 0) return undefined;
  let words: string[];
  try {
    words = tokenize(ask.text);
  } catch {
    return undefined;
  }
  const [first = '', ...args] = words;
  const word = first.toLowerCase();
  const executor = executorOfWord(config, word);
  if (!executor) return undefined;
  const meta = specs(executor) ?? executorMetaIn(config)(executor);
  if (!meta) return undefined;
  const named = executor === word ? undefined : word;
  const { names } = boundConfigurations(config, ask.channel, executor, named);
  if (names.length === 0) {
    const here = boundExecutors(config, ask.channel);
    return {
      executor,
      meta,
      planned: `${inlineCode(word)} is not available in this channel. ${here.length ? `Here you can use ${inlineCodeList(here)}.` : 'No executors are bound to it.'} Ask an admin to add it to \`slack.channels.${ask.channel}.executors\` in config.yaml.`,
    };
  }
  const needsCluster = meta.needsCluster ? takeCluster(args) : undefined;
  const chosen = needsCluster ? chooseCluster(config, ask.channel, needsCluster.cluster) : undefined;
  // Which cluster is a question about the arguments, answered before authorization, as for the flux commands.
  if (chosen && 'reason' in chosen) return { executor, meta, planned: chosen.reason };
  const request = chosen && needsCluster ? { bindings: names, args: needsCluster.rest, cluster: chosen.cluster } : { bindings: names, args };
  return {
    executor,
    meta,
    planned: {
      request,
      clusters: chosen ? [chosen.cluster] : [],
      adminRefusal: `${inlineCode(executor)} changes things: only Fluxline admins (\`slack.admins\`) may run it.`,
      audit: (reason) => ({ actor: ask.user, action: `${executor} ${args.join(' ')}`.trim().slice(0, 500), where: `slack:${ask.channel}`, target: `executor:${names.join(',')}`, outcome: 'refused', detail: reason }),
    },
  };
}

/** A configured executor's plan and the dispatcher's one rule (authorizePlanned), for a click on a button an executor's answer carries. */
export function decideExecutor(config: Config, ask: { user: string; channel: string; text: string }, specs: ExecutorSpecs = builtinExecutorMeta): ExecutorDecision | undefined {
  const target = planConfigured(config, ask, specs);
  if (!target) return undefined;
  const { executor, meta, planned } = target;
  if (typeof planned === 'string') return { kind: 'refused', reason: planned };
  const decision = authorizePlanned(config, ask, meta, planned);
  if (!decision.allowed) return { kind: 'refused', reason: decision.reason, ...(decision.audit ? { audit: decision.audit } : {}) };
  return { kind: 'run', spec: meta, run: { executor, ...planned.request, ...(decision.impersonate ? { impersonate: decision.impersonate } : {}) } };
}
