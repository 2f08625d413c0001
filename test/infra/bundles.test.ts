import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
type EsbuildConfig = ((serverless: unknown) => BuildOptions & Record<string, unknown>) & { esbuildOptions: BuildOptions };
const esbuildConfig = createRequire(import.meta.url)(resolve(root, 'esbuild.config.cjs')) as EsbuildConfig;
const serverlessRunning = (...commands: string[]) => ({ processedInput: { commands } });

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
    const [output] = Object.values(result.metafile.outputs);
    const bundled = Object.entries(output?.inputs ?? {}).filter(([file, { bytesInOutput }]) => bytesInOutput > 0 && file.includes('@aws-lambda-powertools/metrics/lib/'));
    expect(bundled).toEqual([]);
  });

  it('leaves the worker, the Kubernetes client and tar out of the deployed github-webhook bundle, and keeps them for npm start', async () => {
    const deployed = await inputsOf({ __FLUXLINE_IN_PROCESS_JOBS__: 'false' });
    expect(deployed.filter((file) => /@kubernetes\/client-node|node_modules\/tar\/|lib\/worker\//.test(file))).toEqual([]);

    const local = await inputsOf({ __FLUXLINE_IN_PROCESS_JOBS__: 'true' });
    expect(local.some((file) => file.startsWith('lib/worker/'))).toBe(true);
  });
});

describe('bundles: zod compiles no parsers at run time', () => {
  // zod reads its jitless flag when a schema is built (lib/runtime/zod-jitless.ts): the flag must be set
  // before any module that builds one is evaluated, i.e. by each function's first import.
  const functionsUsingLib = readdirSync(resolve(root, 'functions'))
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => readFileSync(resolve(root, 'functions', file), 'utf8').includes("from '../lib/"));

  it.each(functionsUsingLib)('functions/%s sets zod jitless before it imports anything else', (file) => {
    const source = readFileSync(resolve(root, 'functions', file), 'utf8');
    const firstImport = /^import .*$/m.exec(source)?.[0];
    expect(firstImport).toBe("import '../lib/runtime/zod-jitless';");
  });
});
