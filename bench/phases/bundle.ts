// 1. Bundle sizes: Fluxline's functions (scripts/bundle.mjs) and the peers (bench/peers/build.mjs), built
// with the same esbuild options.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { round } from '../lib/stats';
import { log } from '../lib/settings';
import { root } from '../lib/world';

export interface BundleResult {
  /** function -> size. */
  bundles: Record<string, { kb: number }>;
  /** The bundle file of a function or peer. */
  file: (name: string) => string;
}

export function buildBundles(): BundleResult {
  log('building the bundles (scripts/bundle.mjs) and the peers (bench/peers/build.mjs)');
  type Built = { function: string; file: string; bytes: number }[];
  const ours = JSON.parse(execFileSync(process.execPath, ['scripts/bundle.mjs', '--json'], { cwd: root, encoding: 'utf8' })) as Built;
  const peers = JSON.parse(execFileSync(process.execPath, ['bench/peers/build.mjs'], { cwd: root, encoding: 'utf8' })) as Built;
  const all = [...ours, ...peers];
  return {
    bundles: Object.fromEntries(all.map((b) => [b.function, { kb: round(b.bytes / 1024) }])),
    file: (name) => {
      const found = all.find((b) => b.function === name);
      if (!found) throw new Error(`no bundle ${name}`);
      return join(root, found.file.startsWith('/') ? found.file.slice(root.length + 1) : found.file);
    },
  };
}
