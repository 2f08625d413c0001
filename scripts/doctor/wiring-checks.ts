import type { WebClient } from '@slack/web-api';
import { awsOptionsFromEnv, getFunctionLayers } from '../../lib/adapters/aws';
import { ClusterAuthFailed, ClusterConfigInvalid, ClusterUnreachable, missingFluxApis, resolveClusterAccess } from '../../lib/adapters/kube';
import type { Config, Env } from '../../lib/core/config';

/** How a check reports: one `✓` or `✗` line each, the `✗` ones saying what to fix. */
export interface DoctorReport {
  ok(line: string): void;
  problem(line: string): void;
}

/** Every channel config.yaml posts to or binds: the notice channel, each repository's, each binding's. */
export function configuredChannels(config: Config): string[] {
  return [...new Set([config.slack.channel, ...config.repositories.flatMap((r) => (r.channel ? [r.channel] : [])), ...Object.keys(config.slack.channels)])];
}

/**
 * The bot is in each configured channel. Read with conversations.history (limit 1), a method the bot's
 * scopes already grant (it finds lost posts): conversations.info or users.conversations would need
 * channels:read and groups:read for this check alone. Slack answers `not_in_channel` for a public
 * channel the bot was not invited to, `channel_not_found` for a private one (or a wrong ID).
 */
export async function checkSlackChannels(client: WebClient, config: Config, report: DoctorReport): Promise<void> {
  for (const channel of configuredChannels(config)) {
    try {
      await client.conversations.history({ channel, limit: 1 });
      report.ok(`Slack: the bot is in ${channel}`);
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
      if (code === 'not_in_channel') report.problem(`Slack: the bot is not in ${channel}: invite it there (\`/invite @fluxline\` in the channel)`);
      else if (code === 'channel_not_found') report.problem(`Slack: channel ${channel} not found: check its ID in config.yaml (channel details, at the bottom), and if it is private, invite the bot`);
      else report.problem(`Slack: could not check ${channel} (${code}): reinstall the app with the scopes of \`npm run setup -- slack\``);
    }
  }
}

/**
 * Each cluster of config.yaml answers, with the credentials config.yaml names for it, and serves the Flux
 * APIs the worker reads. Run with your credentials: for an EKS cluster the worker's own access entry is a
 * separate matter (README "Let the worker into the cluster").
 */
export async function checkClusters(config: Config, readParameter: (name: string) => Promise<string>, report: DoctorReport): Promise<void> {
  for (const [cluster, access] of Object.entries(config.clusters)) {
    try {
      const connection = await resolveClusterAccess(cluster, access, { readParameter }, { requestTimeoutMs: 10_000 });
      const missing = await missingFluxApis(connection);
      if (missing.length === 0) report.ok(`cluster ${cluster} answers at ${connection.server} and serves the Flux APIs`);
      else report.problem(`cluster ${cluster} does not serve ${missing.join(', ')}: install Flux 2.x there (flux bootstrap, or flux install)`);
    } catch (err) {
      const fix =
        err instanceof ClusterUnreachable
          ? 'check the server URL in its kubeconfig and that this machine reaches it (a private cluster: README "Private clusters")'
          : err instanceof ClusterAuthFailed
            ? 'check its credentials, and the RBAC of infra/kubernetes/worker-rbac.yaml (README "Let the worker into the cluster")'
            : err instanceof ClusterConfigInvalid
              ? `fix clusters.${cluster} in config.yaml or its kubeconfig`
              : 'see the message';
      report.problem(`${(err as Error).message}: ${fix}`);
    }
  }
}

/**
 * The deployed worker has the flux layer (Lambda GetFunctionConfiguration). scripts/serverless/flux-layer.cjs
 * gives the worker exactly one layer, the flux one, or none; `serverless deploy` refuses none, so this
 * catches a stack deployed some other way, or a FLUX_LAYER_ARN that changed since.
 */
export async function checkFluxLayer(env: Env, stage: string, report: DoctorReport): Promise<void> {
  const functionName = `fluxline-${stage}-worker`;
  try {
    const { layers, architectures } = await getFunctionLayers(awsOptionsFromEnv(env, 'lambda', { timeoutMs: 10_000 }), functionName);
    const wanted = env.FLUX_LAYER_ARN?.trim();
    if (layers.length === 0) report.problem(`the worker ${functionName} has no flux layer: build it (node infra/flux-layer/build.mjs) or set FLUX_LAYER_ARN, then npx serverless deploy --stage ${stage}`);
    else if (wanted && !layers.includes(wanted)) report.problem(`the worker ${functionName} has ${layers.join(', ')}, not FLUX_LAYER_ARN=${wanted}: npx serverless deploy --stage ${stage}`);
    else if (!architectures.includes('arm64')) report.problem(`the worker ${functionName} runs on ${architectures.join(', ')}, but the flux layer is linux/arm64: deploy it from serverless.yml (architecture: arm64)`);
    else report.ok(`the worker ${functionName} has the flux layer (${layers.join(', ')})`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ResourceNotFoundException') report.problem(`no function ${functionName} in ${awsOptionsFromEnv(env, 'lambda').region}: deploy the stage (npx serverless deploy --stage ${stage}), or set AWS_REGION to the region it is in`);
    else if (code === 'AccessDeniedException') report.problem(`could not read ${functionName}: your AWS credentials may not lambda:GetFunctionConfiguration it`);
    else report.problem(`could not read ${functionName}: ${(err as Error).message}`);
  }
}
