import { runFlux } from './run-flux';
import { outputLines } from './text';

/** One answer per binary for the life of the container: the layer does not change under a warm Lambda. */
const versions = new Map<string, Promise<string | undefined>>();

/**
 * The flux CLI's version (`flux version --client`, which reads no kubeconfig), for the diff report's header.
 * undefined when flux cannot say: a report without the version is still a report. A failure is not cached.
 */
export function fluxVersion(options: { bin: string; env: Record<string, string>; cwd: string }): Promise<string | undefined> {
  const known = versions.get(options.bin);
  if (known) return known;
  const asked = runFlux({ bin: options.bin, args: ['version', '--client'], env: options.env, cwd: options.cwd, timeoutMs: 10_000, maxOutputBytes: 4_096 }).then((run) => {
    const line = run.exitCode === 0 ? outputLines(run.stdout).find((l) => l.startsWith('flux:')) : undefined;
    const version = line ? /^flux:\s*(v?[0-9][\w.+-]*)\s*$/.exec(line)?.[1] : undefined;
    if (!version) versions.delete(options.bin);
    return version;
  });
  versions.set(options.bin, asked);
  return asked;
}
