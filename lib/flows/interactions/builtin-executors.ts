import { eachFluxCliVerb } from '../../core/commands/command';
import { BUILTINS, GRAMMAR_BUILTINS, type GrammarBuiltinName, type HelpEntry } from '../../core/executors/builtin-meta';
import { message, type ExecutorMessage } from '../../core/executors';
import { escapeMrkdwn, inlineCode } from '../../adapters/slack/mrkdwn';
import { deploymentHistoryText } from '../deploys';
import { isAdmin } from './authorize';
import type { BuiltinRequest } from './builtin-plans';
import type { PlannedRun, SlackReply } from './plan-slash-command';
import { requestDay2Command, type Day2Deps } from './request-day2';
import { requestDiff, type RequestDiffDeps } from './request-diff';
import { configuredExecutor, helpReply, type RequestExecutorDeps } from './request-executor';
import { answerFluxCliCommand, type RequestFluxCliDeps } from './request-flux-cli';
import type { SlashCommand } from './slack-payloads';
import type { SlackExecutors } from './slack-executor';

export type SlackExecutorDeps = RequestDiffDeps & Day2Deps & RequestFluxCliDeps & RequestExecutorDeps;

const ephemeral = (text: string): SlackReply => ({ response_type: 'ephemeral', text });

/** A built-in's forms as an executor message: the same words `/flux help` shows. */
const formsMessage = (forms: readonly HelpEntry[]): ExecutorMessage =>
  message(...forms.flatMap((form) => [{ type: 'section' as const, text: form.usage }, { type: 'text' as const, text: [form.summary, ...form.examples.map((e) => `e.g. ${e}`)].join('\n') }]));

type Run<Name extends GrammarBuiltinName> = BuiltinRequest<Name> & { impersonate?: { user?: string; group?: string } };
type Execute<Name extends GrammarBuiltinName> = (slash: SlashCommand, run: Run<Name>) => Promise<SlackReply | null>;

/** The consumer half of each built-in of the grammar: what already does its work, given the request its plan made. */
function grammarExecutes(deps: SlackExecutorDeps, executors: SlackExecutors): { [Name in GrammarBuiltinName]: Execute<Name> } {
  const requester = (slash: SlashCommand) => ({ requestKey: `command:${slash.trigger_id}`, user: slash.user_id, ...(slash.user_name ? { userName: slash.user_name } : {}), channel: slash.channel_id, ...(slash.thread_ts ? { threadTs: slash.thread_ts } : {}) });
  const day2 = async (slash: SlashCommand, { command }: Run<'list' | 'promote' | 'rollback'>) => {
    const reply = await requestDay2Command(deps, slash, command);
    return reply ? ephemeral(reply.text) : null;
  };
  const fluxCli = (slash: SlashCommand, run: Run<'get'>) => answerFluxCliCommand(deps, slash, run);
  return {
    help: (_slash, { topic, bindings }) => Promise.resolve(helpReply(topic, executors(topic)?.help(bindings))),
    diff: async (slash, run) => {
      if (!('target' in run)) return day2(slash, run);
      const { repository, number, kustomization, cluster } = run.target;
      const result = await requestDiff(deps, { ...requester(slash), ...run.target, anyKustomization: isAdmin(deps.config, slash.user_id) });
      if (result.status === 'queued') {
        return { response_type: 'in_channel', text: `:hourglass_flowing_sand: Diff of ${inlineCode(kustomization)} on ${inlineCode(cluster)} for ${escapeMrkdwn(repository)}#${number} queued by <@${slash.user_id}>.` };
      }
      if (result.status === 'already-running') return ephemeral(`That diff is already queued or running (job \`${result.jobId}\`); its report will appear here.`);
      return ephemeral(result.reason);
    },
    list: day2,
    promote: day2,
    rollback: day2,
    history: async (_slash, { command }) => ephemeral(await deploymentHistoryText(deps, command)),
    ...eachFluxCliVerb(fluxCli),
  };
}

/**
 * The Slack consumer's registry of executors, built at the composition root with its dependencies: the
 * built-ins of the grammar (their metadata from builtin-meta.ts, the one registry the dispatcher reads), and
 * echo, kubectl and the out-of-process executors of config.yaml (request-executor.ts).
 */
export function slackExecutors(deps: SlackExecutorDeps): SlackExecutors {
  const executors: SlackExecutors = (name) => {
    if (!(GRAMMAR_BUILTINS as readonly string[]).includes(name)) return configuredExecutor(deps, name);
    const meta = BUILTINS[name as GrammarBuiltinName];
    // Each execute is typed by its own plan's request (BUILTIN_PLANS); here the name is a value.
    const execute = executes[name as GrammarBuiltinName] as unknown as (slash: SlashCommand, run: PlannedRun) => Promise<SlackReply | null>;
    return { ...meta, help: () => formsMessage(meta.forms), execute };
  };
  const executes = grammarExecutes(deps, executors);
  return executors;
}
