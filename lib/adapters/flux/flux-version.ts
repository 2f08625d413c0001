import { readFile } from 'node:fs/promises';
import { runFlux } from './run-flux';
import { outputLines } from './text';

/** One answer per binary for the life of the container: the layer does not change under a warm Lambda. */
const versions = new Map<string, Promise<string | undefined>>();

const VERSION = /^v?[0-9][\w.+-]*$/;

/** The text as a version, or undefined: neither the file nor flux's answer is trusted to be one. */
function asVersion(text: string | undefined): string | undefined {
  const version = text?.trim();
  return version && VERSION.test(version) ? version : undefined;
}

/**
 * The version infra/flux-layer/build.mjs wrote beside the binary it verified against its pinned sha256
 * (`<bin>.version`). Reading it costs no process: `flux version --client` in a new container was a spawn
 * beside the checkout, on the diff's critical path (issue #20). undefined when there is no such file.
 */
async function versionBesideBinary(bin: string): Promise<string | undefined> {
  return asVersion(await readFile(`${bin}.version`, 'utf8').catch(() => undefined));
}

/** `flux version --client` (which reads no kubeconfig): for a binary that came without its version file. */
async function askFlux(options: { bin: string; env: Record<string, string>; cwd: string }): Promise<string | undefined> {
  const run = await runFlux({ bin: options.bin, args: ['version', '--client'], env: options.env, cwd: options.cwd, timeoutMs: 10_000, maxOutputBytes: 4_096 });
  const line = run.exitCode === 0 ? outputLines(run.stdout).find((l) => l.startsWith('flux:')) : undefined;
  return asVersion(line?.replace(/^flux:/, ''));
}

/**
 * The flux CLI's version, for the diff report's header: the layer's version file, else flux's own answer.
 * undefined when neither says: a report without the version is still a report. A failure is not cached.
 */
export function fluxVersion(options: { bin: string; env: Record<string, string>; cwd: string }): Promise<string | undefined> {
  const known = versions.get(options.bin);
  if (known) return known;
  const asked = versionBesideBinary(options.bin).then(async (fromFile) => {
    const version = fromFile ?? (await askFlux(options));
    if (!version) versions.delete(options.bin);
    return version;
  });
  versions.set(options.bin, asked);
  return asked;
}
