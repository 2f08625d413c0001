import type { KnownBlock } from '@slack/web-api';
// The files, not the index.ts of commands, config and executors: the Slack ingress plans with this file, and
// those indexes carry the button decoders, the executors' schemas and their checks (README "Benchmark").
import { CommandError, UnknownCommand } from '../../core/commands/errors';
import { helpText } from '../../core/commands/help';
import { GRAMMAR, splitCommand } from '../../core/commands/parse';
import type { Config } from '../../core/config/schema';
import { BUILTINS, builtinExecutorMeta } from '../../core/executors/builtin-meta';
import type { AuditEntry } from '../../adapters/store';
import { authorizePlanned, type PlanOutcome } from './authorize-run';
import { BUILTIN_PLANS, type Ask } from './builtin-plans';
import { planConfigured, type ExecutorSpecs } from './plan-executor';
import type { SlashCommand } from './slack-payloads';

/** What Slack shows in answer to a slash command: an HTTP response body, or what is posted to its response_url. */
export interface SlackReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  /** Block Kit, when the answer is an executor's message; `text` is then its notification fallback. */
  blocks?: KnownBlock[];
}

/**
 * One authorized run: the executor's name, the request its plan made (spread in), and the identity of the
 * channel's binding on the cluster it acts on, when the binding sets one.
 */
export type PlannedRun = { readonly executor: string; readonly impersonate?: { user?: string; group?: string } } & Readonly<Record<string, unknown>>;

/** The work a slash command asks for once config.yaml allowed it: an executor's run, which needs the store, the queue or its code. */
export interface SlashWork {
  kind: 'executor';
  run: PlannedRun;
}

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

/** The executor a command names, and its plan: a configured one bound to the channel first, else a built-in of the grammar. */
function planOf(config: Config, ask: Ask, text: string, specs: ExecutorSpecs): { executor: string; meta: { name: string; mutating: boolean }; planned: PlanOutcome<object> } {
  const configured = planConfigured(config, { ...ask, text }, specs);
  if (configured) return configured;
  const { name, words } = splitCommand(text);
  // Each built-in's grammar and plan are typed together by its name (BUILTIN_PLANS); here the name is a value.
  const plan = BUILTIN_PLANS[name] as (config: Config, ask: Ask, command: unknown, specs: ExecutorSpecs) => PlanOutcome<object>;
  return { executor: name, meta: BUILTINS[name], planned: plan(config, ask, GRAMMAR[name](words, text), specs) };
}

/**
 * The dispatcher (issue #19 item 3). DESIGN §2: a Slack command that config alone can answer is answered in
 * the HTTP response. Every command names an executor, a built-in or a configured one; its plan turns the
 * words into a request and the clusters it acts on, and authorization is applied here, once, the same way
 * for all (authorizePlanned). Pure and synchronous, so the ingress decides in microseconds and the consumer,
 * deciding again with the config it has, reaches the same answer.
 */
export function planSlashCommand(config: Config, slash: SlashCommand, specs: ExecutorSpecs = builtinExecutorMeta): SlashPlan {
  const ask = { user: slash.user_id, channel: slash.channel_id };
  let target;
  try {
    target = planOf(config, ask, slash.text, specs);
  } catch (err) {
    // A word we do not know: the nearest command, and the whole grammar to pick from.
    if (err instanceof UnknownCommand) return answer(`${err.message}\n\n${helpText()}`);
    if (err instanceof CommandError) return answer(err.message);
    throw err;
  }
  const { executor, meta, planned } = target;
  if (typeof planned === 'string') return answer(planned);
  const decision = authorizePlanned(config, ask, meta, planned);
  if (!decision.allowed) return answer(decision.reason, decision.audit);
  return { kind: 'work', work: { kind: 'executor', run: { executor, ...planned.request, ...(decision.impersonate ? { impersonate: decision.impersonate } : {}) } } };
}
