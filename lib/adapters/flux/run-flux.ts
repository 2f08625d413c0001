import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { CappedOutput } from './capped-output';

export interface RunFluxOptions {
  /** The flux executable (FLUX_BIN; /opt/bin/flux from the layer in AWS). */
  bin: string;
  args: string[];
  /**
   * The child's whole environment. Nothing is inherited: the Lambda's own environment holds its AWS
   * credentials, and flux has no business seeing them.
   */
  env: Record<string, string>;
  cwd: string;
  /** After this long flux and everything it started get SIGTERM, then SIGKILL after `killGraceMs`. */
  timeoutMs: number;
  /** Cap on each of stdout and stderr; output past it is read and dropped. */
  maxOutputBytes: number;
  /**
   * How long a process that ignores SIGTERM may linger before SIGKILL.
   * @default 2000
   */
  killGraceMs?: number;
}

export interface FluxRun {
  /** null when flux was killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** We stopped it: it was still running at `timeoutMs`. */
  timedOut: boolean;
  /** stdout or stderr hit `maxOutputBytes`. */
  truncated: boolean;
  durationMs: number;
  /** Why it could not be started, e.g. `ENOENT: spawn /opt/bin/flux ENOENT`. */
  spawnError?: string;
}

const DEFAULT_KILL_GRACE_MS = 2_000;

/** Signals the whole process group (negative pid), so helpers flux started die with it. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we wanted.
  }
}

function describeSpawnError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * Runs the flux CLI without a shell and always resolves: a missing binary, a crash, a timeout and a
 * non-zero exit are all described by the returned FluxRun, for classifyDiffRun to interpret.
 * DESIGN §5: unlike Botkube, the process has a timeout and its output a cap.
 */
export function runFlux(options: RunFluxOptions): Promise<FluxRun> {
  const started = performance.now();
  const stdout = new CappedOutput(options.maxOutputBytes);
  const stderr = new CappedOutput(options.maxOutputBytes);
  const finish = (fields: Pick<FluxRun, 'exitCode' | 'signal' | 'timedOut'> & { spawnError?: string }): FluxRun => ({
    ...fields,
    stdout: stdout.text(),
    stderr: stderr.text(),
    truncated: stdout.truncated || stderr.truncated,
    durationMs: Math.round(performance.now() - started),
  });

  let child: ChildProcess;
  try {
    // detached: flux leads its own process group, so the timeout can signal flux and its children at once.
    child = spawn(options.bin, options.args, { cwd: options.cwd, env: { ...options.env }, detached: true, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // spawn throws synchronously for malformed input (e.g. a NUL byte in an argument).
    return Promise.resolve(finish({ exitCode: null, signal: null, timedOut: false, spawnError: describeSpawnError(error) }));
  }

  return new Promise<FluxRun>((resolve) => {
    let settled = false;
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const settle = (run: FluxRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
      resolve(run);
    };

    const timeoutTimer = setTimeout(() => {
      if (exit) return; // it finished on its own; we are only waiting for its pipes to drain
      timedOut = true;
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    }, options.timeoutMs);

    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

    child.on('error', (error) => {
      // Emitted when the binary cannot be started (ENOENT, EACCES); `close` may never follow.
      if (child.pid === undefined) settle(finish({ exitCode: null, signal: null, timedOut: false, spawnError: describeSpawnError(error) }));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      // Whatever flux left behind in its group must not outlive it (and keep our pipes open).
      killGroup(child, 'SIGKILL');
      // A grandchild that left the group (setsid) could hold our pipes open forever: stop waiting for them.
      drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle(finish({ exitCode: code, signal, timedOut }));
      }, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    });
    // `close` comes after `exit` once both pipes are drained, so the output is complete.
    child.on('close', (code, signal) => {
      settle(finish({ exitCode: exit?.code ?? code, signal: exit?.signal ?? signal, timedOut }));
    });
  });
}
