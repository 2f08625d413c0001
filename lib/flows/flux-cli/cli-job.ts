import { logger } from '../../core/log';
import { replyInPlace, type SlackPort } from '../../adapters/slack';
import type { JobRecord, Store } from '../../adapters/store';
import { FluxCommandFailed } from './errors';
import { commandOfArgs } from './flux-args';
import { emptyMessage, failureHint, failureMessage, outputMessage } from './output-message';
import { runFluxCommand, type FluxCliDeps } from './run-command';
import { tableMessage } from './table-message';
import { auditMutation, fluxCliInputsSchema } from './job-inputs';

export interface FluxCliJobDeps extends FluxCliDeps {
  store: Store;
  slack: SlackPort;
}

/**
 * Runs a queued Flux CLI command and stores what flux printed, so a table's select menu can find its
 * rows later. An error exit, a timeout or a crash fails the job with flux's words; "nothing found" does
 * not. Mutations are audited here, once per job, whatever the outcome.
 */
export async function executeFluxCliJob(deps: FluxCliJobDeps, job: JobRecord): Promise<{ outcome: Record<string, unknown> }> {
  const inputs = fluxCliInputsSchema.parse(job.inputs);
  const command = commandOfArgs(inputs.args);
  const audit = (outcome: 'succeeded' | 'failed', detail?: string) =>
    auditMutation(deps.store, { user: job.requester.user, channel: job.requester.channel, cluster: inputs.cluster, command, outcome, ...(detail ? { detail } : {}) });
  let result;
  try {
    result = await runFluxCommand(deps, { jobId: job.id, cluster: inputs.cluster, command, ...(inputs.impersonate ? { impersonate: inputs.impersonate } : {}) });
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    await deps.store.putJobResult(job.id, error.message, { outcome: 'error', errorName: error.name });
    await audit('failed', error.message);
    throw error;
  }
  const { outcome } = result;
  const text = outcome.kind === 'ok' ? outcome.output : outcome.kind === 'timeout' ? '' : outcome.message;
  await deps.store.putJobResult(job.id, text, { outcome: outcome.kind, exitCode: result.exitCode, truncated: result.truncated });
  if (outcome.kind === 'failed' || outcome.kind === 'crashed' || outcome.kind === 'timeout') {
    const message = outcome.kind === 'timeout' ? `flux did not finish within ${Math.round(deps.fluxTimeoutMs / 1000)} s and was stopped` : outcome.message;
    await audit('failed', message);
    throw new FluxCommandFailed(outcome.kind, message);
  }
  await audit('succeeded');
  return { outcome: { result: outcome.kind, durationMs: result.durationMs, truncated: result.truncated } };
}

/** Replaces the "running…" message with the outcome: a table with menus, flux's output, "nothing found", or what failed. */
export async function reportFluxCliJob(deps: Pick<FluxCliJobDeps, 'store' | 'slack'>, job: JobRecord): Promise<void> {
  const inputs = fluxCliInputsSchema.parse(job.inputs);
  const command = commandOfArgs(inputs.args);
  const context = { jobId: job.id, cluster: inputs.cluster, command, requester: job.requester.user };
  const target = { channel: job.requester.channel, ...(job.requester.threadTs ? { threadTs: job.requester.threadTs } : {}), ...(job.requester.messageTs ? { messageTs: job.requester.messageTs } : {}) };
  const stored = await deps.store.getJobResult(job.id);
  const summary = stored?.summary ?? {};
  if (job.status === 'failed') {
    const hint = failureHint(typeof summary.outcome === 'string' ? summary.outcome : undefined, typeof summary.errorName === 'string' ? summary.errorName : undefined);
    await replyInPlace(deps.slack, target, failureMessage(context, job.error ?? 'unknown error', hint));
    return;
  }
  const text = stored?.text ?? '';
  const message =
    summary.outcome === 'empty' ? emptyMessage(context, text || 'nothing found') : command.verb === 'get' ? tableMessage({ ...context, command }, text) : outputMessage(context, text);
  const posted = await replyInPlace(deps.slack, target, { text: message.text, blocks: message.blocks });
  if (message.upload) {
    const threadTs = job.requester.threadTs ?? posted.ts;
    await deps.slack.uploadFile({ channel: job.requester.channel, threadTs, ...message.upload, initialComment: message.text });
  }
  logger.info('flux command reported', { verb: command.verb, outcome: summary.outcome });
}
