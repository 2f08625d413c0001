import { builtinExecutorSpec, echoExecutor, ExecutorRefusal, remoteExecutorSpec, type Executor, type ExecutorMessage, type ExecutorSpec } from '../../core/executors';
import { executorEntry, remoteExecutor, type Config } from '../../core/config';
import { logger } from '../../core/log';
import { renderExecutorMessage, type SlackPort } from '../../adapters/slack';
import { inlineCode } from '../../adapters/slack/mrkdwn';
import type { Store } from '../../adapters/store';
import { describeRun, EXECUTOR_JOB, executorAuditEntry } from '../executors/job-inputs';
import type { JobQueue } from '../jobs';
import type { ExecutorRun } from './plan-executor';
import type { SlackReply } from './plan-slash-command';
import { queueCommandJob } from './queue-command-job';
import type { SlackExecutor } from './slack-executor';

export interface RequestExecutorDeps {
  config: Config;
  store: Store;
  queue: JobQueue;
  slack: SlackPort;
  now?: () => Date;
}

/** Executors that need neither the cluster nor the network: the consumer answers them itself, without a job. */
const IN_CONSUMER: Record<string, Executor<never>> = { echo: echoExecutor as Executor<never> };

/** An out-of-process executor's face from its config.yaml entry (it answers `<name> help` itself). */
function remoteSpec(config: Config, name: string): ExecutorSpec<unknown> | undefined {
  const remote = remoteExecutor(config, name);
  if (!remote) return undefined;
  const form = remote.kind === 'http' ? remote.http : remote.lambda;
  return remoteExecutorSpec({ name, kind: remote.kind, mutating: form.mutating, description: form.description });
}

/** Its own help, given the channel's configurations of it (each parsed by its schema). */
const helpOf = (config: Config, spec: ExecutorSpec<unknown>, bindings: readonly string[]) => spec.help(bindings.map((binding) => spec.configSchema.parse(executorEntry(config, binding)?.config ?? {})));

/** echo, kubectl or an out-of-process executor, as the Slack consumer runs it. */
export function configuredExecutor(deps: RequestExecutorDeps, name: string): SlackExecutor | undefined {
  const spec = builtinExecutorSpec(name) ?? remoteSpec(deps.config, name);
  if (!spec) return undefined;
  return {
    ...spec,
    help: (bindings) => helpOf(deps.config, spec, bindings),
    // The run of a configured executor is the one planConfigured made: bindings, args, the cluster and identity.
    execute: (slash, run) => answerExecutor(deps, slash, run as unknown as ExecutorRun),
  };
}

/** `/flux help <executor>`: its help rendered, or that there is no such executor. */
export function helpReply(executor: string, help: ExecutorMessage | undefined): SlackReply {
  if (!help) return { response_type: 'ephemeral', text: `No help on ${inlineCode(executor)}: it is not an executor of this version of Fluxline.` };
  const rendered = renderExecutorMessage(help);
  return { response_type: 'ephemeral', text: rendered.text, blocks: rendered.blocks };
}

/** `/flux help <executor>` of a configured executor, given the channel's configurations of it. */
export function executorHelp(deps: Pick<RequestExecutorDeps, 'config'>, executor: string, bindings: readonly string[]): SlackReply {
  const spec = builtinExecutorSpec(executor) ?? remoteSpec(deps.config, executor);
  return helpReply(executor, spec ? helpOf(deps.config, spec, bindings) : undefined);
}

/**
 * Runs an executor the dispatcher allowed: in the consumer when it needs nothing outside, else as a job
 * behind a "running…" message (the worker holds the cluster access). A failure is told in plain words;
 * the error itself goes to the log only.
 */
export async function answerExecutor(deps: RequestExecutorDeps, slash: { trigger_id: string; user_id: string; user_name?: string; channel_id: string; thread_ts?: string }, run: ExecutorRun): Promise<SlackReply> {
  const mutating = builtinExecutorSpec(run.executor)?.mutating ?? true;
  const executor = !run.cluster && Object.hasOwn(IN_CONSUMER, run.executor) ? (IN_CONSUMER[run.executor] as Executor<unknown>) : undefined;
  const audit = async (outcome: 'succeeded' | 'failed', detail?: string) => {
    if (mutating) await deps.store.appendAudit(executorAuditEntry({ user: slash.user_id, channel: slash.channel_id, run, outcome, ...(detail ? { detail } : {}) }));
  };
  if (executor) {
    const configs = run.bindings.map((name) => executorEntry(deps.config, name)?.config);
    try {
      const answer = await executor.execute({ args: run.args, configs: configs.map((raw) => executor.configSchema.parse(raw ?? {})), requester: slash.user_id, channel: slash.channel_id });
      await audit('succeeded');
      const rendered = renderExecutorMessage(answer, `Requested by <@${slash.user_id}> · ${inlineCode(describeRun(run))}`);
      return { response_type: 'in_channel', text: rendered.text, blocks: rendered.blocks };
    } catch (err) {
      if (err instanceof ExecutorRefusal) {
        await audit('failed', err.message);
        return { response_type: 'ephemeral', text: renderExecutorMessage({ blocks: [{ type: 'text', text: err.message }] }).text };
      }
      logger.error('executor failed', { executor: run.executor, error: err as Error });
      await audit('failed', (err as Error).message);
      return { response_type: 'ephemeral', text: `${inlineCode(run.executor)} failed; the error is in Fluxline's logs.` };
    }
  }
  const { job } = await queueCommandJob(deps, {
    requestKey: `command:${slash.trigger_id}`,
    kind: EXECUTOR_JOB,
    inputs: { ...run },
    user: slash.user_id,
    ...(slash.user_name ? { userName: slash.user_name } : {}),
    channel: slash.channel_id,
    // A mention's thread (a slash command has none): the answer replaces the running message there.
    ...(slash.thread_ts ? { threadTs: slash.thread_ts } : {}),
    runningText: `:hourglass_flowing_sand: Running ${inlineCode(describeRun(run))}${run.cluster ? ` on ${inlineCode(run.cluster)}` : ''} for <@${slash.user_id}>…`,
  });
  const where = job.requester.messageTs ? 'its answer replaces the message in the channel' : 'its answer will be posted in the channel';
  return { response_type: 'ephemeral', text: `Running ${inlineCode(describeRun(run))}: ${where}.` };
}
