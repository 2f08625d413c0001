import { fluxErrorMessage, stripAnsi, type FluxRun } from '../../adapters/flux';

export type CliOutcome =
  | { kind: 'ok'; output: string }
  /** Nothing to show: flux ≥ 2.6 exits 1 with `✗ no Kustomization objects found in any namespace`, older ones exit 0. */
  | { kind: 'empty'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'timeout' }
  | { kind: 'crashed'; message: string };

/**
 * flux2 cmd/flux/get.go, events.go: what flux says when a list is empty or a named object is absent.
 * Since flux 2.6 these are errors (exit 1); before, they were `✗` lines with exit 0.
 */
// `✗` written \u2717: a character past U+00FF in a regex literal doubles the bundle's source in memory (test/infra/bundles.test.ts).
const NOTHING_FOUND = [/^\u2717?\s*no \S+ objects found in (any|"[^"]*") namespace\s*$/i, /^\u2717?\s*\S+ object '[^']*' not found in (any|"[^"]*") namespace\s*$/i, /^\u2717?\s*No events found( in \S+ namespace)?\.?\s*$/i];

function nothingFound(stderr: string): string | undefined {
  const lines = stripAnsi(stderr).split(/\r?\n/).map((line) => line.trim());
  const line = lines.find((candidate) => NOTHING_FOUND.some((pattern) => pattern.test(candidate)));
  return line?.replace(/^\u2717\s*/, '');
}

/**
 * Reads a flux run of a Slack command. flux's logger writes progress and results (`► annotating …`,
 * `✔ applied revision …`) to stderr and tables to stdout, so `output` is stdout for tables and both
 * for the others. Any non-zero exit that is not "nothing found" is a failure with flux's error line.
 */
export function classifyCliRun(run: FluxRun, shape: 'table' | 'text'): CliOutcome {
  if (run.spawnError !== undefined) return { kind: 'crashed', message: `flux could not be started: ${run.spawnError}` };
  if (run.timedOut) return { kind: 'timeout' };
  if (run.signal !== null) return { kind: 'crashed', message: `flux was killed by signal ${run.signal}` };
  const empty = nothingFound(run.stderr);
  if ((run.exitCode === 0 || run.exitCode === 1) && empty && run.stdout.trim() === '') return { kind: 'empty', message: empty };
  if (run.exitCode !== 0) return { kind: 'failed', message: fluxErrorMessage(run.stderr) || `flux exited with code ${run.exitCode ?? 'none'} without saying why` };
  if (shape === 'table') return run.stdout.trim() === '' ? { kind: 'empty', message: 'nothing found' } : { kind: 'ok', output: stripAnsi(run.stdout) };
  return { kind: 'ok', output: stripAnsi([run.stdout.trimEnd(), run.stderr.trimEnd()].filter(Boolean).join('\n')) };
}
