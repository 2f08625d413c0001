// The one place the Lambda bundles are configured: serverless-esbuild reads this file (serverless.yml
// `custom.esbuild.config`, which `require`s it: hence CommonJS) and so does `npm run build`
// (scripts/bundle.mjs), so the sizes the bench reports are the sizes that get deployed.
'use strict';

const process = require('node:process');
const { Buffer } = require('node:buffer');

const { readFile, writeFile } = require('node:fs/promises');
const { resolve } = require('node:path');
const { sourceMapOfOurCode } = require('./scripts/build/source-map-of-our-code.cjs');

/**
 * js-yaml ships one pre-bundled ES module whose entry evaluates its YAML writer too, so esbuild cannot
 * drop it although Fluxline only ever parses (lib/core/config/load.ts): ~9 KB of every bundle that reads
 * config.yaml, the Slack ingress among them (≤ 150 KB, README "Benchmark"). This leaves the writer out;
 * should a js-yaml release change that line, the module is bundled as it is.
 */
const jsYamlWithoutWriter = {
  name: 'js-yaml-without-writer',
  setup(build) {
    build.onLoad({ filter: /[\\/]js-yaml[\\/]dist[\\/]js-yaml\.mjs$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const contents = source.replace('const dumper2 = requireDumper();', 'const dumper2 = {};');
      return contents === source ? undefined : { contents, loader: 'js' };
    });
  },
};

/**
 * Each bundle's source map keeps our code's mappings only (scripts/build/source-map-of-our-code.cjs): Node
 * holds every segment of a map it loads, and the dependencies' ~90 % of them cost the worker ~17 MB of
 * RSS with --enable-source-maps (bench/README.md, figure 5). A frame in our code still names its file
 * and line; one in a dependency keeps its place in the bundle, next to the function names that say which.
 */
const sourceMapsOfOurCode = {
  name: 'source-maps-of-our-code',
  setup(build) {
    // Where the maps went (the build may write them itself: serverless-esbuild, scripts/bundle.mjs).
    build.initialOptions.metafile = true;
    build.onEnd(async (result) => {
      if (!result.metafile) return;
      const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
      for (const file of Object.keys(result.metafile.outputs).filter((name) => name.endsWith('.map'))) {
        const path = resolve(cwd, file);
        const inMemory = result.outputFiles?.find((output) => output.path === path);
        const text = inMemory ? inMemory.text : await readFile(path, 'utf8');
        const trimmed = JSON.stringify(sourceMapOfOurCode(JSON.parse(text)));
        if (inMemory) inMemory.contents = Buffer.from(trimmed);
        else await writeFile(path, trimmed);
      }
    });
  },
};

/** Plain esbuild options, shared by both builds. */
const esbuildOptions = {
  bundle: true,
  minify: true,
  // A source map beside each bundle (mappings only: no sources, ~1.3x the bundle), named by a one-line
  // comment. Only the functions whose environment sets NODE_OPTIONS=--enable-source-maps (serverless.yml:
  // the consumers and the worker) read it, so their stack traces name our files and lines; the ack path
  // (githubWebhook, slack) does not pay the ~0.1 s it costs to load on a cold start.
  sourcemap: 'linked',
  sourcesContent: false,
  platform: 'node',
  mainFields: ['module', 'main'],
  format: 'esm',
  // Node 20 locally and in CI, nodejs22.x in Lambda: emit for the older of the two.
  target: 'node20',
  // CommonJS dependencies call `require` (for Node built-ins mostly), which does not exist in an ES module:
  // give them one. The alias avoids clashing with any bundled top-level `createRequire`.
  banner: {
    js: "import { createRequire as __fluxlineCreateRequire } from 'node:module'; const require = __fluxlineCreateRequire(import.meta.url);",
  },
  // AWS SDK v3 is bundled, not taken from the Lambda runtime: a pinned version, and a faster cold start
  // than resolving the runtime's copy. Nothing is external.
  external: [],
  // Build-time switch (functions/compose/ingress-queues.ts): deployed functions queue jobs on SQS, never in-process, so
  // the worker is not bundled into the ingress functions. serverless offline and invoke local turn it on.
  define: { __FLUXLINE_IN_PROCESS_JOBS__: 'false' },
  logLevel: 'warning',
  plugins: [jsYamlWithoutWriter, sourceMapsOfOurCode],
};

/** `npm start` (serverless offline) and `serverless invoke local` run jobs in the handler's process. */
function runsJobsInProcess(serverless) {
  const [command] = serverless?.processedInput?.commands ?? [];
  return command === 'offline' || isInvokeLocal(serverless);
}

/** `serverless invoke local` (osls 3) loads handlers with require() and knows .js and .cjs only, not .mjs. */
function isInvokeLocal(serverless) {
  const [command, subcommand] = serverless?.processedInput?.commands ?? [];
  return command === 'invoke' && subcommand === 'local';
}

/** serverless-esbuild's view: the same options plus the plugin's own. */
module.exports = (serverless) => ({
  ...esbuildOptions,
  define: { ...esbuildOptions.define, __FLUXLINE_IN_PROCESS_JOBS__: String(runsJobsInProcess(serverless)) },
  // serverless-esbuild's default excludes `aws-sdk` (v2); we use v3 and bundle it.
  exclude: [],
  // Lambda runs a .mjs handler as an ES module whatever package.json says. For invoke local, .js works
  // too: the build folder sits under our "type": "module" package.json, and Node >= 20.19 require()s ESM.
  outputFileExtension: isInvokeLocal(serverless) ? '.js' : '.mjs',
  // serverless-esbuild does not empty its build folder first, so whatever a run leaves there is zipped
  // by the next `package`: invoke local builds elsewhere, and scripts/start.mjs gives each run its own
  // folder (.cache/offline/<port>) so that neither a `package` nor a second `npm start` deletes its handlers.
  ...(isInvokeLocal(serverless)
    ? { outputWorkFolder: '.esbuild/invoke-local' }
    : process.env.FLUXLINE_ESBUILD_WORK_FOLDER
      ? { outputWorkFolder: process.env.FLUXLINE_ESBUILD_WORK_FOLDER }
      : {}),
  // `npm start` runs handlers in-process (ES modules cannot be reloaded): restart it after code changes
  // instead of watching files.
  watch: { pattern: [] },
});

module.exports.esbuildOptions = esbuildOptions;
