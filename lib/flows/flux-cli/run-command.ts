import type { FluxCliCommand } from '../../core/commands';
import { clusterAccess, type Config } from '../../core/config';
import { runFlux, withJobFolder } from '../../adapters/flux';
import { resolveClusterAccess } from '../../adapters/kube';
import { logger } from '../../core/log';
import { classifyCliRun, type CliOutcome } from './classify-run';
import { buildFluxArgs } from './flux-args';
import { FluxCliError } from './errors';

export interface FluxCliDeps {
  config: Config;
  fluxBin: string;
  /** The only variable flux inherits besides HOME and KUBECONFIG. */
  fluxPath: string;
  readParameter: (name: string) => Promise<string>;
  fluxTimeoutMs: number;
  /** Lambda's only writable disk is /tmp. @default '/tmp/fluxline' */
  workRoot?: string;
  /** Cap on each of stdout and stderr. @default 2 MiB */
  maxOutputBytes?: number;
}

export interface FluxCliRequest {
  jobId: string;
  cluster: string;
  command: FluxCliCommand;
  impersonate?: { user?: string; group?: string };
}

export interface FluxCliResult {
  args: string[];
  outcome: CliOutcome;
  exitCode: number | null;
  truncated: boolean;
  durationMs: number;
}

const DEFAULT_MAX_OUTPUT = 2 * 1024 * 1024;

/**
 * Runs one Flux CLI command with the cluster access the diff uses (DESIGN §3 flow 4): the cluster's
 * kubeconfig, EKS token or channel impersonation rendered into a kubeconfig under /tmp/<job>, no shell,
 * an environment of PATH, HOME and KUBECONFIG only, a timeout and capped output.
 */
export async function runFluxCommand(deps: FluxCliDeps, request: FluxCliRequest): Promise<FluxCliResult> {
  const access = clusterAccess(deps.config, request.cluster);
  if (!access) throw new FluxCliError(`cluster \`${request.cluster}\` is not in config.yaml`);
  const args = buildFluxArgs(request.command);
  const connection = await resolveClusterAccess(request.cluster, access, { readParameter: deps.readParameter }, request.impersonate ? { impersonate: request.impersonate } : {});
  return withJobFolder({ ...(deps.workRoot ? { workRoot: deps.workRoot } : {}), jobId: request.jobId, kubeconfigYaml: connection.kubeconfigYaml(), fluxPath: deps.fluxPath }, async (folder) => {
    const run = await runFlux({ bin: deps.fluxBin, args, env: folder.env, cwd: folder.work, timeoutMs: deps.fluxTimeoutMs, maxOutputBytes: deps.maxOutputBytes ?? DEFAULT_MAX_OUTPUT });
    const shape = request.command.verb === 'get' || request.command.verb === 'events' ? 'table' : 'text';
    const outcome = classifyCliRun(run, shape);
    logger.info('flux command finished', { verb: request.command.verb, outcome: outcome.kind, exitCode: run.exitCode, durationMs: run.durationMs, truncated: run.truncated });
    return { args, outcome, exitCode: run.exitCode, truncated: run.truncated, durationMs: run.durationMs };
  });
}
