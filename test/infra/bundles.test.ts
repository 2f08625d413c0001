import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
type EsbuildConfig = ((serverless: unknown) => BuildOptions & Record<string, unknown>) & { esbuildOptions: BuildOptions };
const esbuildConfig = createRequire(import.meta.url)(resolve(root, 'esbuild.config.cjs')) as EsbuildConfig;
const serverlessRunning = (...commands: string[]) => ({ processedInput: { commands } });
/** The bundle among esbuild's outputs, not the source map beside it (esbuild.config.cjs `sourcemap: 'linked'`). */
const bundleOf = (outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>) => Object.entries(outputs).find(([file]) => !file.endsWith('.map'))?.[1];

describe('bundles: in-process jobs only where they run', () => {
  it('switches the in-process queue off for AWS and on for serverless offline and invoke local', () => {
    expect(esbuildConfig.esbuildOptions.define).toMatchObject({ __FLUXLINE_IN_PROCESS_JOBS__: 'false' });
    expect(esbuildConfig(serverlessRunning('package')).define).toMatchObject({ __FLUXLINE_IN_PROCESS_JOBS__: 'false' });
    expect(esbuildConfig(serverlessRunning('deploy')).define).toMatchObject({ __FLUXLINE_IN_PROCESS_JOBS__: 'false' });
    expect(esbuildConfig(serverlessRunning('offline', 'start')).define).toMatchObject({ __FLUXLINE_IN_PROCESS_JOBS__: 'true' });
    expect(esbuildConfig(serverlessRunning('invoke', 'local')).define).toMatchObject({ __FLUXLINE_IN_PROCESS_JOBS__: 'true' });
  });

  async function inputsOf(define: Record<string, string>): Promise<string[]> {
    const result = await build({ ...esbuildConfig.esbuildOptions, define, entryPoints: ['functions/github-webhook.ts'], write: false, outdir: 'unused', metafile: true, absWorkingDir: root, logLevel: 'silent' });
    return Object.keys(result.metafile.inputs);
  }

  it.each(['github-webhook', 'slack'])('leaves Powertools Metrics, which only the worker records, out of the %s bundle', async (name) => {
    const result = await build({ ...esbuildConfig.esbuildOptions, entryPoints: [`functions/${name}.ts`], write: false, outdir: 'unused', metafile: true, absWorkingDir: root, logLevel: 'silent' });
    const output = bundleOf(result.metafile.outputs);
    const bundled = Object.entries(output?.inputs ?? {}).filter(([file, { bytesInOutput }]) => bytesInOutput > 0 && file.includes('@aws-lambda-powertools/metrics/lib/'));
    expect(bundled).toEqual([]);
  });

  it('leaves the worker, the Kubernetes client and tar out of the deployed github-webhook bundle, and keeps them for npm start', async () => {
    const deployed = await inputsOf({ __FLUXLINE_IN_PROCESS_JOBS__: 'false' });
    expect(deployed.filter((file) => /@kubernetes\/client-node|node_modules\/tar\/|lib\/flows\/worker\//.test(file))).toEqual([]);

    const local = await inputsOf({ __FLUXLINE_IN_PROCESS_JOBS__: 'true' });
    expect(local.some((file) => file.startsWith('lib/flows/worker/'))).toBe(true);
  });
});

describe('bundles: the ack path carries no client of what it must not call', () => {
  it.each(['github-webhook', 'slack'])('leaves the AWS SDK, WebClient, Octokit (but its 1 KB verify) and the Kubernetes client out of the deployed %s bundle', async (name) => {
    const result = await build({ ...esbuildConfig.esbuildOptions, entryPoints: [`functions/${name}.ts`], write: false, outdir: 'unused', metafile: true, absWorkingDir: root, logLevel: 'silent' });
    const output = bundleOf(result.metafile.outputs);
    const bundled = Object.entries(output?.inputs ?? {})
      .filter(([file, { bytesInOutput }]) => bytesInOutput > 0 && /node_modules\/(@aws-sdk|@slack\/web-api|@octokit\/(?!webhooks-methods)|@kubernetes)\//.test(file))
      .map(([file]) => file.replace(/^.*node_modules\//, ''));
    expect(bundled).toEqual([]);
  });
});

describe('bundles: zod/mini with English messages only', () => {
  it('carries neither classic zod nor a locale other than English in the slack bundle', async () => {
    // Prepare
    const result = await build({ ...esbuildConfig.esbuildOptions, entryPoints: ['functions/slack.ts'], write: false, outdir: 'unused', metafile: true, absWorkingDir: root, logLevel: 'silent' });

    // Act: the zod files that left code in the bundle (esbuild also lists the files it read and shook out)
    const bundle = bundleOf(result.metafile.outputs);
    const zodFiles = Object.entries(bundle?.inputs ?? {})
      .filter(([file, { bytesInOutput }]) => file.includes('node_modules/zod/') && bytesInOutput > 0)
      .map(([file]) => file.replace(/^.*node_modules\/zod\//, ''));

    // Assess
    expect(zodFiles.filter((file) => file.startsWith('v4/classic/'))).toEqual([]);
    expect(zodFiles.filter((file) => file.startsWith('v4/locales/'))).toEqual(['v4/locales/en.js']);
  });
});

describe('bundles: the Slack ingress routes and authorizes executors by their metadata', () => {
  it('leaves the executors, their config schemas and the Block Kit renderer of their answers out of the slack bundle, and stays within 150 KB', async () => {
    // Prepare
    const result = await build({ ...esbuildConfig.esbuildOptions, entryPoints: ['functions/slack.ts'], write: false, outdir: 'unused', metafile: true, absWorkingDir: root, logLevel: 'silent' });
    const bundle = bundleOf(result.metafile.outputs);

    // Act
    const ours = Object.entries(bundle?.inputs ?? {}).filter(([file, { bytesInOutput }]) => bytesInOutput > 0 && /^lib\/(core\/executors|flows\/executors|adapters\/slack)\//.test(file)).map(([file]) => file);

    // Assess: the names, descriptions and flags of builtin-meta.ts, and the mrkdwn escapes; nothing else of them
    expect(ours.sort()).toEqual(['lib/adapters/slack/mrkdwn.ts', 'lib/core/executors/builtin-meta.ts']);
    expect((bundle as { bytes?: number } | undefined)?.bytes).toBeLessThanOrEqual(150 * 1024);
  });
});

describe('bundles: source V8 can hold one byte per character', () => {
  it('has no character past U+00FF in any bundle, so V8 keeps its source as Latin-1 and not as UTF-16', async () => {
    // Prepare: every function, as scripts/bundle.mjs builds them. V8 keeps a module's whole source for lazy
    // compilation, and one character past U+00FF (a `►` in a regex literal, which esbuild does not escape)
    // makes it two bytes per character: 3.7 MB more of the worker's peak RSS.
    const functions = readdirSync(resolve(root, 'functions')).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
    const result = await build({ ...esbuildConfig.esbuildOptions, entryPoints: functions.map((file) => `functions/${file}`), write: false, outdir: 'out', absWorkingDir: root, logLevel: 'silent' });

    // Act
    const wide = result.outputFiles
      .filter((file) => file.path.endsWith('.js'))
      .flatMap((file) => [...file.text.matchAll(/.{0,30}[\u0100-\u{10FFFF}]+.{0,10}/gu)].map((match) => `${basename(file.path)}: ${match[0]}`));

    // Assess
    expect(wide).toEqual([]);
  });
});
