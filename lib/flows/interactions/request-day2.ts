import * as z from '../../core/validation';
import type { Config } from '../../core/config/schema';
import type { JobQueue } from '../jobs';
// Light modules, not the capabilities' index.ts: the ingress bundles must not carry the worker's code.
import { PROMOTE_JOB_KINDS } from '../promote/job-kinds';
import { pinnableOf, pinTargetOf } from '../promote/pin-target';
import type { SlackPort } from '../../adapters/slack';
import { inlineCode, inlineCodeList } from '../../adapters/slack/mrkdwn';
import type { Store } from '../../adapters/store';
import { VERSIONS_JOB_KINDS } from '../versions/job-kinds';
import { day2Refusal, readableClusters, type Day2Command } from './day2-refusal';
import { queueCommandJob } from './queue-command-job';
import type { SlashCommand } from './slack-payloads';

export interface Day2Deps {
  config: Config;
  store: Store;
  queue: JobQueue;
  slack: SlackPort;
  now?: () => Date;
}

export { day2Refusal, type Day2Command, type Day2Refusal } from './day2-refusal';

/** undefined: the "running…" message in the channel is the answer, and Slack gets an empty 200. */
export type Day2Reply = { text: string } | undefined;

/**
 * `/flux list`, `/flux diff <env>`, `/flux promote`, `/flux rollback`, once day2Refusal let them through: run
 * by the worker (only it holds cluster credentials and the GitHub key), answered in place of a "running…" message.
 */
export async function requestDay2Command(deps: Day2Deps, slash: SlashCommand, command: Day2Command): Promise<Day2Reply> {
  const clusters = readableClusters(deps.config, slash.channel_id);
  const ask = {
    requestKey: `command:${slash.trigger_id}`,
    user: slash.user_id,
    ...(slash.user_name ? { userName: slash.user_name } : {}),
    channel: slash.channel_id,
    ...(slash.thread_ts ? { threadTs: slash.thread_ts } : {}),
  };

  if (command.kind === 'list' || command.kind === 'diff-environment') {
    const queued =
      command.kind === 'list'
        ? await queueCommandJob(deps, {
            ...ask,
            kind: VERSIONS_JOB_KINDS.list,
            inputs: { ...(command.app ? { app: command.app } : {}), clusters },
            runningText: `:hourglass_flowing_sand: Reading ${command.app ? inlineCode(command.app) : 'app versions'} on ${inlineCodeList(clusters.map((c) => c.name))}…`,
            ...(command.app ? { subject: { app: command.app } } : {}),
          })
        : await queueCommandJob(deps, {
            ...ask,
            kind: VERSIONS_JOB_KINDS.environmentDiff,
            inputs: { environment: command.environment, clusters },
            runningText: `:hourglass_flowing_sand: Comparing ${inlineCode(command.environment)} with ${inlineCodeList(clusters.filter((c) => c.name !== command.environment).map((c) => c.name)) || 'the other clusters'}…`,
          });
    return replyFor(queued);
  }

  const queued = await queueCommandJob(deps, {
    ...ask,
    kind: command.kind === 'promote' ? PROMOTE_JOB_KINDS.promote : PROMOTE_JOB_KINDS.rollback,
    inputs: command.kind === 'promote' ? { app: command.app, version: command.version, environment: command.environment, clusters } : { app: command.app, environment: command.environment, clusters },
    runningText:
      command.kind === 'promote'
        ? `:hourglass_flowing_sand: Promoting ${inlineCode(command.app)} to ${inlineCode(command.version)} on ${inlineCode(command.environment)} (asked by <@${slash.user_id}>)…`
        : `:hourglass_flowing_sand: Rolling back ${inlineCode(command.app)} on ${inlineCode(command.environment)} (asked by <@${slash.user_id}>)…`,
    subject: { app: command.app },
  });
  return replyFor(queued);
}

function replyFor(queued: Awaited<ReturnType<typeof queueCommandJob>>): Day2Reply {
  // No running message (Slack refused it, e.g. the bot is not in this channel): say at least that it runs.
  if (queued.created && !queued.job.requester.messageTs) return { text: `Queued (job \`${queued.job.id}\`); the answer will be posted here when it is ready.` };
  return undefined;
}

/** What a stored promote job must hold for one of its readings to be chosen; anything else is refused. */
const choosableSchema = z.object({
  inputs: z.looseObject({ app: z.string(), version: z.string(), environment: z.string() }),
  outcome: z.looseObject({ kind: z.literal('needs-choice'), choices: z.array(z.looseObject({ reading: z.enum(['chart', 'app', 'image']), write: z.string(), why: z.string() })) }),
});

/** Who clicked a button of a day-2 answer, and where: what the job it queues is asked as. */
export interface Day2Click {
  user: string;
  userName?: string;
  channel: string;
  /** The click itself: Slack retries it with the same action_ts, and the retry finds the same job. */
  requestKey: string;
}

const askedBy = ({ requestKey, user, userName, channel }: Day2Click) => ({ requestKey, user, ...(userName ? { userName } : {}), channel });

export interface PromoteChoiceClick extends Day2Click {
  jobId: string;
  choice: number;
}

/**
 * A click on one reading of an ambiguous promote. The button carries only the job id and an index; the
 * app, version and environment come from that stored job, and the clicker is held to the same rules as
 * the typed `/flux promote` (admin, a channel that may use the environment), refusals audited.
 */
export async function requestPromoteChoice(deps: Day2Deps, click: PromoteChoiceClick): Promise<{ refused?: string }> {
  const job = await deps.store.getJob(click.jobId);
  const stored = job?.kind === PROMOTE_JOB_KINDS.promote ? choosableSchema.safeParse(job) : undefined;
  const choice = stored?.success ? stored.data.outcome.choices[click.choice] : undefined;
  if (!stored?.success || !choice) return { refused: 'That choice is no longer available: run `/flux promote` again.' };
  const { app, version, environment } = stored.data.inputs;
  const command = { kind: 'promote' as const, app, version, environment };
  const refusal = day2Refusal(deps.config, asSlashCommand(click), command);
  if (refusal) {
    if (refusal.audit) await deps.store.appendAudit(refusal.audit);
    return { refused: refusal.text };
  }
  await queueCommandJob(deps, {
    ...askedBy(click),
    kind: PROMOTE_JOB_KINDS.promote,
    inputs: { app, version, environment, clusters: readableClusters(deps.config, click.channel), as: choice.reading },
    runningText: `:hourglass_flowing_sand: Promoting \`${app}\` to ${choice.reading === 'image' ? 'image tag' : 'chart'} \`${choice.write}\` on \`${environment}\` (chosen by <@${click.user}>)…`,
    subject: { app },
  });
  return {};
}

/** A click held to the rules of the slash command it stands for (day2Refusal reads who, where and the request key). */
const asSlashCommand = (click: { user: string; channel: string; requestKey: string }) => ({ command: '/flux', text: '', user_id: click.user, channel_id: click.channel, trigger_id: click.requestKey });

/** The stored job a follow-up button (suspend automation, pin a policy) acts on, when it is a promote or rollback. */
async function storedPromoteOrRollback(deps: Day2Deps, jobId: string) {
  const job = await deps.store.getJob(jobId);
  return job && (job.kind === PROMOTE_JOB_KINDS.promote || job.kind === PROMOTE_JOB_KINDS.rollback) ? job : undefined;
}

/**
 * Why a follow-up button of a promote or rollback may not run, or undefined: it obeys rollback's rules for that
 * app and environment (admin, channel binding), and a refusal is audited as what the button would have done.
 */
async function refusedAsRollback(
  deps: Day2Deps,
  click: { user: string; channel: string; requestKey: string },
  on: { app: string; environment: string },
  button: { verb: string; action: string; target: string },
): Promise<string | undefined> {
  const refusal = day2Refusal(deps.config, asSlashCommand(click), { kind: 'rollback', ...on }, button.verb);
  if (!refusal) return undefined;
  if (refusal.audit) await deps.store.appendAudit({ ...refusal.audit, action: button.action, target: button.target });
  return refusal.text;
}

/** What a stored promote/rollback must hold for one of the automations it named to be suspended. */
const suspendableSchema = z.object({
  status: z.literal('succeeded'),
  inputs: z.looseObject({ app: z.string(), environment: z.string() }),
  outcome: z.looseObject({
    automation: z.array(z.looseObject({ automations: z._default(z.array(z.looseObject({ namespace: z.string(), name: z.string(), suspended: z.boolean() })), []) })),
  }),
});

export interface SuspendAutomationClick extends Day2Click {
  jobId: string;
  automation: number;
}

/**
 * A click on "Suspend" under a promote or rollback whose edited line image automation would rewrite. The
 * cluster and the automation come from that stored job, never from the button; the clicker must be
 * allowed to roll that app back from this channel (admin, channel binding), refusals audited, and the
 * worker suspends it as the channel's Kubernetes identity.
 */
export async function requestSuspendAutomation(deps: Day2Deps, click: SuspendAutomationClick): Promise<{ refused?: string }> {
  const job = await storedPromoteOrRollback(deps, click.jobId);
  const stored = job ? suspendableSchema.safeParse(job) : undefined;
  const automation = stored?.success ? stored.data.outcome.automation.flatMap((marker) => marker.automations)[click.automation] : undefined;
  if (!stored?.success || !automation) return { refused: 'That automation is no longer offered: run the command again.' };
  const { app, environment } = stored.data.inputs;
  const refused = await refusedAsRollback(deps, click, { app, environment }, {
    verb: 'suspend image automation',
    action: PROMOTE_JOB_KINDS.suspendAutomation,
    target: `ImageUpdateAutomation ${automation.namespace}/${automation.name} on ${environment}`,
  });
  if (refused) return { refused };
  const binding = readableClusters(deps.config, click.channel).find((cluster) => cluster.name === environment);
  await queueCommandJob(deps, {
    ...askedBy(click),
    kind: PROMOTE_JOB_KINDS.suspendAutomation,
    inputs: { cluster: environment, namespace: automation.namespace, name: automation.name, fromJobId: click.jobId, ...(binding?.impersonate ? { impersonate: binding.impersonate } : {}) },
    runningText: `:hourglass_flowing_sand: Suspending the ImageUpdateAutomation \`${automation.namespace}/${automation.name}\` on \`${environment}\` (asked by <@${click.user}>)…`,
  });
  return {};
}

export interface PinPolicyClick extends Day2Click {
  jobId: string;
  marker: number;
}

/**
 * A click on "Pin" under a promote or rollback whose edited line image automation would rewrite. The file,
 * branch, line and version come from that stored job, never from the button; the clicker must be allowed
 * to roll that app back from this channel (admin, channel binding), refusals audited; the worker commits.
 */
export async function requestPinPolicy(deps: Day2Deps, click: PinPolicyClick): Promise<{ refused?: string }> {
  const job = await storedPromoteOrRollback(deps, click.jobId);
  const pin = job ? pinnableOf(job, click.marker) : undefined;
  if (!pin) return { refused: 'That version is no longer offered for pinning: run the command again.' };
  const refused = await refusedAsRollback(deps, click, { app: pin.app, environment: pin.environment }, { verb: 'pin image policies', action: PROMOTE_JOB_KINDS.pinPolicy, target: pinTargetOf(pin) });
  if (refused) return { refused };
  await queueCommandJob(deps, {
    ...askedBy(click),
    kind: PROMOTE_JOB_KINDS.pinPolicy,
    inputs: { fromJobId: click.jobId, marker: click.marker },
    runningText: `:hourglass_flowing_sand: Pinning \`${pin.app}\` at \`${pin.version}\` in \`${pin.path}\` (asked by <@${click.user}>)…`,
    subject: { app: pin.app },
  });
  return {};
}
