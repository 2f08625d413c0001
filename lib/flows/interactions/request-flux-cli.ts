import { isMutation, type FluxCliCommand } from '../../core/commands/flux-cli';
import type { Config } from '../../core/config/schema';
// Light modules, not lib/flows/flux-cli's index.ts: the Slack bundle must not carry the flux runner.
import { buildFluxArgs, describeCommand } from '../flux-cli/flux-args';
import { FLUX_CLI_JOB } from '../flux-cli/job-inputs';
import { decideFluxCli } from './decide-flux-cli';
import { jobIdFor, type JobQueue } from '../jobs';
import type { SlackPort } from '../../adapters/slack';
import { inlineCode } from '../../adapters/slack/mrkdwn';
import type { JobRecord, Store } from '../../adapters/store';
import { queueCommandJob } from './queue-command-job';

export interface RequestFluxCliDeps {
  config: Config;
  store: Store;
  queue: JobQueue;
  slack: SlackPort;
  now?: () => Date;
}

export interface FluxCliAsk {
  /** The slash command's trigger_id or the click: a Slack retry of it maps to the same job. */
  requestKey: string;
  user: string;
  userName?: string;
  channel: string;
  threadTs?: string;
  command: FluxCliCommand;
}

export type FluxCliAskResult =
  | { status: 'queued'; job: JobRecord; created: boolean; cluster: string }
  | { status: 'already-running'; jobId: string }
  | { status: 'refused'; reason: string };


export { chooseCluster, decideFluxCli, type FluxCliDecision } from './decide-flux-cli';

/**
 * Authorizes a Flux CLI command (decideFluxCli), for a click on a table's menu, and queues it (queueFluxCli).
 * A typed command was authorized by the dispatcher already, and is only queued.
 */
export async function requestFluxCli(deps: RequestFluxCliDeps, ask: FluxCliAsk): Promise<FluxCliAskResult> {
  const decision = decideFluxCli(deps.config, ask);
  if (!decision.allowed) {
    if (decision.audit) await deps.store.appendAudit(decision.audit);
    return { status: 'refused', reason: decision.reason };
  }
  return queueFluxCli(deps, ask, decision);
}

/**
 * Queues an authorized Flux CLI command behind a "running…" message, on the cluster and as the identity its
 * authorization chose. While one mutation of an object is queued or running, another on the same object (a
 * double click) is refused instead of run twice.
 */
async function queueFluxCli(deps: RequestFluxCliDeps, ask: FluxCliAsk, { cluster, impersonate }: { cluster: string; impersonate?: { user?: string; group?: string } | undefined }): Promise<Exclude<FluxCliAskResult, { status: 'refused' }>> {
  if (isMutation(ask.command)) {
    const { kind, namespace, name } = ask.command;
    const active = await deps.store.claimActiveJob(`flux-cli:${cluster}:${kind}/${namespace}/${name}`, jobIdFor({ source: 'slack', key: ask.requestKey }));
    if (!active.claimed) return { status: 'already-running', jobId: active.activeJobId };
  }
  const { job, created } = await queueCommandJob(deps, {
    requestKey: ask.requestKey,
    kind: FLUX_CLI_JOB,
    inputs: { args: buildFluxArgs(ask.command), cluster, ...(impersonate ? { impersonate } : {}) },
    user: ask.user,
    ...(ask.userName ? { userName: ask.userName } : {}),
    channel: ask.channel,
    ...(ask.threadTs ? { threadTs: ask.threadTs } : {}),
    runningText: `:hourglass_flowing_sand: Running ${inlineCode(describeCommand(ask.command))} on ${inlineCode(cluster)} for <@${ask.user}>…`,
  });
  return { status: 'queued', job, created, cluster };
}

/** The slash command's answer, once the dispatcher authorized it: the "running…" message in the channel says the rest; this only says what went wrong. */
export async function answerFluxCliCommand(
  deps: RequestFluxCliDeps,
  slash: { trigger_id: string; user_id: string; user_name?: string; channel_id: string; thread_ts?: string },
  authorized: { command: FluxCliCommand; cluster: string; impersonate?: { user?: string; group?: string } | undefined },
): Promise<{ response_type: 'ephemeral'; text: string }> {
  const { command } = authorized;
  const result = await queueFluxCli(deps, { requestKey: `command:${slash.trigger_id}`, user: slash.user_id, ...(slash.user_name ? { userName: slash.user_name } : {}), channel: slash.channel_id, ...(slash.thread_ts ? { threadTs: slash.thread_ts } : {}), command }, authorized);
  if (result.status === 'already-running') return { response_type: 'ephemeral', text: `That object already has a command queued or running (job \`${result.jobId}\`); its answer will appear in the channel.` };
  const where = result.job.requester.messageTs ? 'its answer replaces the message in the channel' : 'its answer will be posted in the channel';
  return { response_type: 'ephemeral', text: `Running ${inlineCode(describeCommand(command))} on ${inlineCode(result.cluster)}: ${where}.` };
}
