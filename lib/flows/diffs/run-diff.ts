import { join, relative, resolve } from 'node:path';
import { clusterAccess, type Config } from '../../core/config';
import { buildDiffArgs, classifyDiffRun, parseDiffReport, runFlux, withJobFolder, type DiffOutcome, type DiffSummary } from '../../adapters/flux';
import type { GithubApp, PullRequestInfo } from '../../adapters/github';
import { getGitRepository, getKustomization, resolveClusterAccess } from '../../adapters/kube';
import { logger } from '../../core/log';
import { ForkNotAllowed, SourceMismatch } from './errors';
import { checkoutPullRequest, type Checkout } from './checkout-pull-request';

export interface DiffDeps {
  config: Config;
  github: () => Promise<GithubApp>;
  fluxBin: string;
  /** The only variable flux inherits besides HOME and KUBECONFIG: the Lambda's credentials must not reach it. */
  fluxPath: string;
  readParameter: (name: string) => Promise<string>;
  /** Where checkouts go; Lambda's only writable disk is /tmp. */
  workRoot?: string;
  /** Kept below the worker's Lambda timeout so a hung flux is reported, not cut off mid-write. */
  fluxTimeoutMs: number;
  maxTarballBytes?: number;
  maxOutputBytes?: number;
}

export interface DiffRequest {
  jobId: string;
  repository: string;
  number: number;
  /** `namespace/name` of the Kustomization. */
  kustomization: string;
  cluster: string;
  impersonate?: { user?: string; group?: string };
  /** From the repository's fork policy and who asked: whether a fork PR's code may run through flux. */
  mayDiffFork: boolean;
  forkRefusal?: string;
}

export interface DiffRun {
  pr: Pick<PullRequestInfo, 'repository' | 'number' | 'title' | 'url' | 'headSha' | 'fromFork' | 'headRepository'>;
  /** spec.path of the Kustomization, as diffed. */
  path: string;
  outcome: DiffOutcome;
  summary?: DiffSummary;
  /** The flux output worth keeping: the diff when there are changes, else the error text. */
  report: string;
  durationMs: number;
}

const DEFAULT_MAX_TARBALL = 200 * 1024 * 1024;
const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;
/** withJobFolder's own default. */
const DEFAULT_WORK_ROOT = '/tmp/fluxline';

function splitName(qualified: string): { namespace: string; name: string } {
  const [namespace = 'flux-system', name = qualified] = qualified.includes('/') ? qualified.split('/') : ['flux-system', qualified];
  return { namespace, name };
}

/**
 * DESIGN §3 flow 2, worker side: read the Kustomization and its GitRepository from the cluster, check
 * they build from the PR's repository, stream the PR head in meanwhile (checkout-pull-request.ts), and
 * run `flux diff kustomization` of it against the live state. The kubeconfig lives under /tmp/<job>,
 * the checkout beside it in /tmp/<job>-checkout; both are removed.
 */
export async function runDiff(deps: DiffDeps, request: DiffRequest): Promise<DiffRun> {
  const access = clusterAccess(deps.config, request.cluster);
  if (!access) throw new SourceMismatch(`cluster \`${request.cluster}\` is not in config.yaml`);
  const { namespace, name } = splitName(request.kustomization);
  // Started first and awaited after the cluster reads, which it overlaps; beside the job folder, which withJobFolder empties.
  const checkout = checkoutPullRequest(
    { github: deps.github, maxTarballBytes: deps.maxTarballBytes ?? DEFAULT_MAX_TARBALL },
    {
      repository: request.repository,
      number: request.number,
      folder: join(deps.workRoot ?? DEFAULT_WORK_ROOT, `${request.jobId}-checkout`),
      admit: (pr) => {
        if (pr.fromFork && !request.mayDiffFork) throw new ForkNotAllowed(request.forkRefusal ?? `${pr.repository}#${pr.number} comes from a fork and the fork policy does not allow diffing it`);
      },
    },
  );
  try {
    return await diffCheckout(deps, request, { access, namespace, name }, checkout.ready);
  } finally {
    await checkout.dispose();
  }
}

type Target = { access: NonNullable<ReturnType<typeof clusterAccess>>; namespace: string; name: string };

async function diffCheckout(deps: DiffDeps, request: DiffRequest, { access, namespace, name }: Target, checkedOut: Promise<Checkout>): Promise<DiffRun> {
  const connection = await resolveClusterAccess(request.cluster, access, { readParameter: deps.readParameter }, request.impersonate ? { impersonate: request.impersonate } : {});

  const kustomization = await getKustomization(connection, { namespace, name });
  if (kustomization.sourceRef.kind !== 'GitRepository') {
    throw new SourceMismatch(`Kustomization ${namespace}/${name} builds from a ${kustomization.sourceRef.kind}, not a GitRepository: a PR's code cannot be diffed against it`);
  }
  const source = await getGitRepository(connection, { namespace: kustomization.sourceRef.namespace, name: kustomization.sourceRef.name });
  if (!source.repository || source.repository.toLowerCase() !== request.repository.toLowerCase()) {
    throw new SourceMismatch(
      `Kustomization ${namespace}/${name} on ${request.cluster} builds from ${source.url}, not from ${request.repository}: diffing this PR against it would compare unrelated code`,
    );
  }

  const { pr, folder: checkout } = await checkedOut;

  return withJobFolder({ ...(deps.workRoot ? { workRoot: deps.workRoot } : {}), jobId: request.jobId, kubeconfigYaml: connection.kubeconfigYaml(), fluxPath: deps.fluxPath }, async (folder) => {
    const path = resolve(checkout, kustomization.path);
    if (relative(checkout, path).startsWith('..')) throw new SourceMismatch(`spec.path ${kustomization.path} of ${namespace}/${name} points outside the repository`);

    const run = await runFlux({
      bin: deps.fluxBin,
      args: buildDiffArgs({ name, namespace, path }),
      env: folder.env,
      cwd: folder.work,
      timeoutMs: deps.fluxTimeoutMs,
      maxOutputBytes: deps.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
    });
    const outcome = classifyDiffRun(run);
    logger.info('flux diff finished', { outcome: outcome.kind, exitCode: run.exitCode, durationMs: run.durationMs, stdoutTruncated: run.truncated });
    const report = outcome.kind === 'changes' ? outcome.report : outcome.kind === 'no-changes' || outcome.kind === 'timeout' ? '' : outcome.message;
    return {
      pr: { repository: pr.repository, number: pr.number, title: pr.title, url: pr.url, headSha: pr.headSha, fromFork: pr.fromFork, headRepository: pr.headRepository },
      path: kustomization.path,
      outcome,
      ...(outcome.kind === 'changes' ? { summary: parseDiffReport(outcome.report) } : {}),
      report,
      durationMs: run.durationMs,
    };
  });
}
