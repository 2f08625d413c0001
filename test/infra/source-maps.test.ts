import { createRequire, SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const esbuildConfig = createRequire(import.meta.url)(resolve(root, 'esbuild.config.cjs')) as { esbuildOptions: BuildOptions };

/** The bundle of one function and its source map, with the project's plugins or with none of them. */
async function bundleOf(entry: string, plugins: BuildOptions['plugins']): Promise<{ code: string; map: SourceMapPayload }> {
  const result = await build({ ...esbuildConfig.esbuildOptions, plugins, entryPoints: [entry], write: false, outdir: 'out', absWorkingDir: root, logLevel: 'silent' });
  const code = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'))?.text ?? '{}';
  return { code, map: JSON.parse(map) as SourceMapPayload };
}

const fromDependency = (source: string | undefined) => source !== undefined && source.includes('node_modules/');

describe('source maps of the bundles', () => {
  it('map every place in our code as the full map does, and no place in a dependency', async () => {
    // Prepare: health has both our code and dependencies (Powertools, the AWS SDK's SSM client), and is small.
    const full = await bundleOf('functions/health.ts', esbuildConfig.esbuildOptions.plugins?.filter((plugin) => plugin.name !== 'source-maps-of-our-code'));
    const deployed = await bundleOf('functions/health.ts', esbuildConfig.esbuildOptions.plugins);
    const fullMap = new SourceMap(full.map);
    const deployedMap = new SourceMap(deployed.map);

    // Act: every 7th column of every line of the bundle, as a stack frame would name it
    const ours: string[] = [];
    const theirs: string[] = [];
    deployed.code.split('\n').forEach((line, lineNumber) => {
      for (let column = 0; column < line.length; column += 7) {
        const expected = fullMap.findEntry(lineNumber, column) as { originalSource?: string };
        const found = deployedMap.findEntry(lineNumber, column) as { originalSource?: string };
        if (expected.originalSource === undefined) continue;
        if (fromDependency(expected.originalSource)) theirs.push(JSON.stringify(found.originalSource ?? null));
        else ours.push(JSON.stringify(found) === JSON.stringify(expected) ? 'same' : `${lineNumber}:${column} ${JSON.stringify(found)} ≠ ${JSON.stringify(expected)}`);
      }
    });

    // Assess
    expect(deployed.code === full.code).toBe(true);
    expect(ours.length).toBeGreaterThan(1000);
    expect(ours.filter((verdict) => verdict !== 'same')).toEqual([]);
    expect(theirs.length).toBeGreaterThan(1000);
    expect(theirs.filter((source) => source !== 'null')).toEqual([]);
    expect(deployed.map.sources.filter(fromDependency)).toEqual([]);
  });
});
