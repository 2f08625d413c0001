// Bundles the peers the way scripts/bundle.mjs bundles Fluxline's functions (esbuild.config.cjs: bundled,
// minified, node20, nothing external), as CommonJS because that is what their docs and packages are.
//
//   node bench/peers/build.mjs [outdir]   # prints [{ "function": "probot", "file": …, "bytes": … }]
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import esbuildConfig from '../../esbuild.config.cjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const outdir = process.argv[2] ?? join(root, 'dist', 'peers');
// eslint-disable-next-line no-unused-vars
const { banner, define, format, ...shared } = esbuildConfig.esbuildOptions;

const peers = [
  { name: 'probot', entry: join(here, 'probot-app.cjs') },
  { name: 'bolt', entry: join(here, 'bolt-app.cjs') },
];
const result = await build({
  ...shared,
  format: 'cjs',
  entryPoints: Object.fromEntries(peers.map((p) => [p.name, p.entry])),
  outdir,
  outExtension: { '.js': '.cjs' },
  metafile: true,
  absWorkingDir: root,
  logLevel: 'error',
});
const bundles = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.cjs'))
  .map(([file, output]) => ({ function: basename(file, '.cjs'), file: join(root, file), bytes: output.bytes }));
console.log(JSON.stringify(bundles, null, 2));
