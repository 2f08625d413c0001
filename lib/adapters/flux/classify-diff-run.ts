import { EXIT_BUILD_ERROR, EXIT_CHANGES_OR_USAGE, EXIT_NO_CHANGES, isChangesMarkerLine } from './contract';
import { fluxErrorMessage } from './error-message';
import type { FluxRun } from './run-flux';
import { outputLines } from './text';

export type DiffOutcome =
  | { kind: 'no-changes' }
  | { kind: 'changes'; report: string }
  | { kind: 'usage-error'; message: string }
  | { kind: 'build-error'; message: string }
  | { kind: 'timeout' }
  | { kind: 'crashed'; message: string };

function hasChangesMarker(stderr: string): boolean {
  return outputLines(stderr).some(isChangesMarkerLine);
}

function withDetail(summary: string, stderr: string): string {
  const detail = fluxErrorMessage(stderr);
  return detail ? `${summary}: ${detail}` : summary;
}

/**
 * Reads a `flux diff kustomization` run by the CLI's exit-code contract (see contract.ts).
 *
 * Exit 1 with the marker but an empty stdout is still `changes`, with an empty report: flux's exit
 * status is the authority on whether the cluster would change, and calling it `no-changes` would
 * invite an approval of a PR whose effect nobody has seen. (It happens when stdout is lost or capped
 * to nothing; the caller sees `run.truncated`.)
 */
export function classifyDiffRun(run: FluxRun): DiffOutcome {
  if (run.spawnError !== undefined) return { kind: 'crashed', message: `flux could not be started: ${run.spawnError}` };
  // A timed-out flux exits by our SIGTERM/SIGKILL; that signal is ours, not a crash.
  if (run.timedOut) return { kind: 'timeout' };
  if (run.signal !== null) return { kind: 'crashed', message: withDetail(`flux was killed by signal ${run.signal}`, run.stderr) };
  switch (run.exitCode) {
    case EXIT_NO_CHANGES:
      return { kind: 'no-changes' };
    case EXIT_CHANGES_OR_USAGE:
      if (hasChangesMarker(run.stderr)) return { kind: 'changes', report: run.stdout };
      return { kind: 'usage-error', message: fluxErrorMessage(run.stderr) || 'flux exited with code 1 without saying why' };
    case EXIT_BUILD_ERROR:
      return { kind: 'build-error', message: fluxErrorMessage(run.stderr) || 'flux exited with code 2 without saying why' };
    default:
      return { kind: 'crashed', message: withDetail(`flux exited with unexpected code ${run.exitCode ?? 'none'}`, run.stderr) };
  }
}

export type BuildOutcome = { kind: 'built' } | { kind: 'failed'; message: string };

/** Reads a `flux build kustomization` run: exit 0 is the objects on stdout; anything else says why not. */
export function classifyBuildRun(run: FluxRun): BuildOutcome {
  if (run.spawnError !== undefined) return { kind: 'failed', message: `flux could not be started: ${run.spawnError}` };
  if (run.timedOut) return { kind: 'failed', message: 'flux build did not finish in time' };
  if (run.exitCode === 0 && run.signal === null) return { kind: 'built' };
  return { kind: 'failed', message: fluxErrorMessage(run.stderr) || `flux build exited with code ${run.exitCode ?? run.signal ?? 'none'}` };
}
