import * as z from '../../core/validation';
import { clusterAccess } from '../../core/config';
import { resolveClusterAccess, suspendImageUpdateAutomation, type ClusterAccessDeps } from '../../adapters/kube';
import { escapeMrkdwn, inlineCode, replyInPlace, type SlackPort } from '../../adapters/slack';
import { maskSecrets } from '../../core/sanitise';
import type { JobRecord, Store } from '../../adapters/store';
import type { Config } from '../../core/config';
import { auditJob } from './audit-job';
import { PromoteError } from './errors';

export const suspendAutomationInputsSchema = z.object({
  cluster: z.string(),
  namespace: z.string(),
  name: z.string(),
  impersonate: z.optional(z.object({ user: z.optional(z.string()), group: z.optional(z.string()) })),
  /** The promote or rollback whose answer offered it. */
  fromJobId: z.string(),
});

export interface SuspendAutomationDeps extends ClusterAccessDeps {
  config: Config;
  store: Pick<Store, 'appendAudit'>;
  slack: SlackPort;
}

const targetOf = (inputs: z.infer<typeof suspendAutomationInputsSchema>) => `ImageUpdateAutomation ${inputs.namespace}/${inputs.name} on ${inputs.cluster}`;

/** Suspends the automation (as the channel's Kubernetes identity); audited either way. */
export async function executeSuspendAutomationJob(deps: SuspendAutomationDeps, job: JobRecord): Promise<{ outcome: Record<string, unknown> }> {
  const inputs = suspendAutomationInputsSchema.parse(job.inputs);
  try {
    const access = clusterAccess(deps.config, inputs.cluster);
    if (!access) throw new PromoteError(`cluster \`${inputs.cluster}\` is no longer in config.yaml`);
    const connection = await resolveClusterAccess(inputs.cluster, access, deps, inputs.impersonate ? { impersonate: inputs.impersonate } : {});
    await suspendImageUpdateAutomation(connection, inputs);
  } catch (err) {
    await auditJob(deps, job, 'failed', targetOf(inputs), err instanceof Error ? err.message : String(err));
    throw err;
  }
  await auditJob(deps, job, 'succeeded', targetOf(inputs), `spec.suspend: true (job ${inputs.fromJobId})`);
  return { outcome: { suspended: true } };
}

export async function reportSuspendAutomationJob(deps: { slack: SlackPort }, job: JobRecord): Promise<void> {
  const inputs = suspendAutomationInputsSchema.parse(job.inputs);
  const what = `${inlineCode(`${inputs.namespace}/${inputs.name}`)} on ${inlineCode(inputs.cluster)}`;
  const text =
    job.status === 'failed'
      ? `:x: Could not suspend the ImageUpdateAutomation ${what}: ${escapeMrkdwn(maskSecrets(job.error ?? 'unknown error'))}`
      : `:double_vertical_bar: <@${job.requester.user}> suspended the ImageUpdateAutomation ${what}: it will not rewrite the repository until resumed (\`flux resume image update ${escapeMrkdwn(inputs.name)} -n ${escapeMrkdwn(inputs.namespace)}\`).`;
  await replyInPlace(deps.slack, job.requester, { text });
}
