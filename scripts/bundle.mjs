// npm run build (after tsc): bundles every Lambda in functions/ into dist/<function>.mjs with the same
// esbuild options serverless-esbuild deploys (esbuild.config.cjs), and prints each bundle's size.
//
//   node scripts/bundle.mjs          # table for people
//   node scripts/bundle.mjs --json   # [{ "function": "worker", "file": "dist/worker.mjs", "bytes": 1234 }] for the bench
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import esbuildConfig from '../esbuild.config.cjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const functionsDir = join(root, 'functions');
const outdir = join(root, 'dist');
const asJson = process.argv.includes('--json');

const entries = readdirSync(functionsDir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .sort()
  .map((file) => join(functionsDir, file));

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  ...esbuildConfig.esbuildOptions,
  entryPoints: entries,
  outdir,
  outExtension: { '.js': '.mjs' },
  metafile: true,
  absWorkingDir: root,
});

const bundles = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.mjs'))
  .map(([file, output]) => ({ function: basename(file, '.mjs'), file, bytes: output.bytes }))
  .sort((a, b) => a.function.localeCompare(b.function));

if (asJson) {
  console.log(JSON.stringify(bundles, null, 2));
} else {
  const width = Math.max(...bundles.map((b) => b.file.length));
  for (const bundle of bundles) console.log(`${bundle.file.padEnd(width)}  ${(bundle.bytes / 1024).toFixed(1).padStart(8)} KB  (minified)`);
}
