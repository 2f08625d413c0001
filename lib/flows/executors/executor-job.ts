import { channelBinding, clusterAccess, executorEntry, executorOfEntry, type Config } from '../../core/config';
import { ExecutorRefusal, executorMessageSchema, type ExecutorMessage } from '../../core/executors';
import { logger } from '../../core/log';
import { resolveClusterAccess, type ClusterAccessDeps } from '../../adapters/kube';
import { inlineCode, renderExecutorMessage, replyInPlace, type SlackPort } from '../../adapters/slack';
import type { JobRecord, Store } from '../../adapters/store';
import { describeRun, executorAuditEntry, executorRunSchema } from './job-inputs';
import { workerExecutor } from './registry';
import { remoteWorkerExecutor, type RemoteExecutorDeps } from './remote';

export interface ExecutorJobDeps extends Pick<ClusterAccessDeps, 'readParameter'>, Pick<RemoteExecutorDeps, 'env' | 'remoteLimits'> {
  config: Config;
  store: Store;
  slack: SlackPort;
}

/** Failed runs are told in these words; the error itself (possibly a stack, an API body) stays in the log. */
class ExecutorFailed extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExecutorFailed';
  }
}

/**
 * Runs one queued executor run: its configurations read again from the config the worker has (a binding
 * removed since is no longer run), the cluster resolved with the channel's identity when it asked for it,
 * and the answer validated against the message schema before it is stored for the report.
 */
export async function executeExecutorJob(deps: ExecutorJobDeps, job: JobRecord): Promise<{ outcome: Record<string, unknown> }> {
  const run = executorRunSchema.parse(job.inputs);
  const executor = workerExecutor(run.executor) ?? remoteWorkerExecutor(deps, run.executor, job);
  if (!executor) throw new ExecutorFailed(`${run.executor} is not an executor this worker knows`);
  const bound = channelBinding(deps.config, job.requester.channel)?.executors ?? [];
  const bindings = run.bindings.filter((name) => {
    const entry = executorEntry(deps.config, name);
    return bound.includes(name) && entry !== undefined && executorOfEntry(name, entry) === run.executor;
  });
  if (bindings.length === 0) throw new ExecutorFailed(`${run.executor} is no longer bound to this channel`);
  const configs = bindings.map((name) => executor.configSchema.parse(executorEntry(deps.config, name)?.config ?? {}));
  const audit = async (outcome: 'succeeded' | 'failed', detail?: string) => {
    if (executor.mutating) await deps.store.appendAudit(executorAuditEntry({ user: job.requester.user, channel: job.requester.channel, run, outcome, ...(detail ? { detail } : {}) }));
  };
  let answer: ExecutorMessage;
  try {
    let cluster;
    if (executor.needsCluster) {
      const access = run.cluster ? clusterAccess(deps.config, run.cluster) : undefined;
      if (!run.cluster || !access) throw new ExecutorFailed(`cluster ${run.cluster ?? '(none)'} is not in config.yaml`);
      cluster = await resolveClusterAccess(run.cluster, access, { readParameter: deps.readParameter }, run.impersonate ? { impersonate: run.impersonate } : {});
    }
    answer = executorMessageSchema.parse(await executor.execute({ args: run.args, configs, requester: job.requester.user, channel: job.requester.channel, ...(cluster ? { cluster } : {}) }));
  } catch (err) {
    if (err instanceof ExecutorRefusal) {
      await audit('failed', err.message);
      await deps.store.putJobResult(job.id, JSON.stringify({ blocks: [{ type: 'text', text: err.message }] }), { outcome: 'refused' });
      return { outcome: { result: 'refused' } };
    }
    logger.error('executor failed', { executor: run.executor, error: err as Error });
    await audit('failed', (err as Error).message);
    throw err;
  }
  await deps.store.putJobResult(job.id, JSON.stringify(answer), { outcome: 'ok' });
  await audit('succeeded');
  return { outcome: { result: 'ok' } };
}

/** Replaces the "running…" message with the executor's answer, its refusal, or what failed in plain words. */
export async function reportExecutorJob(deps: Pick<ExecutorJobDeps, 'store' | 'slack'>, job: JobRecord): Promise<void> {
  const run = executorRunSchema.parse(job.inputs);
  const target = { channel: job.requester.channel, ...(job.requester.threadTs ? { threadTs: job.requester.threadTs } : {}), ...(job.requester.messageTs ? { messageTs: job.requester.messageTs } : {}) };
  const footer = `Requested by <@${job.requester.user}> · ${inlineCode(describeRun(run))} · job \`${job.id}\``;
  if (job.status === 'failed') {
    // Kubernetes errors of the adapter are written for users (ClusterUnreachable, ClusterAuthFailed…); masked and escaped by the renderer.
    const failure = renderExecutorMessage({ blocks: [{ type: 'section', text: `${describeRun(run)} failed` }, { type: 'text', text: (job.error ?? 'unknown error').split('\n')[0] ?? '' }] }, footer);
    await replyInPlace(deps.slack, target, { text: `:x: ${failure.text}`, blocks: failure.blocks });
    return;
  }
  const stored = await deps.store.getJobResult(job.id);
  const parsed = executorMessageSchema.safeParse(JSON.parse(stored?.text ?? '{"blocks":[]}'));
  const rendered = renderExecutorMessage(parsed.success ? parsed.data : { blocks: [{ type: 'text', text: 'The answer could not be read back.' }] }, footer);
  await replyInPlace(deps.slack, target, rendered);
}
