import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The depcruise half of `npm run lint`, exactly as package.json runs it (the config given by its full path). */
function depcruiseArgumentsOfLint(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const command = (scripts.lint ?? '').split('&&').map((part) => part.trim().split(/\s+/)).find(([bin]) => bin === 'depcruise');
  if (!command) throw new Error('package.json: `npm run lint` no longer runs depcruise');
  return command.slice(1).map((arg) => (arg.startsWith('.dependency-cruiser') ? join(root, arg) : arg));
}

/**
 * A small project with the layout of this one. Imports are written as ours are (`.ts` without its
 * extension, `import type`, `await import()`), and besides the edges the rules forbid it holds the ones
 * they allow: functions/ -> lib/, test/ -> functions/, scripts/ -> lib/, bench/ -> functions/, and a diamond.
 */
const project: Record<string, string> = {
  // a circle of plain imports
  'lib/notices/notify.ts': "import { render } from './render';\nexport const notify = (text: string) => render(text);\n",
  'lib/notices/render.ts': "import { notify } from './notify';\nexport const render = (text: string) => (text ? text : String(notify));\n",
  'lib/notices/index.ts': "export { notify } from './notify';\n",
  // a circle of type-only imports
  'lib/store/keys.ts': "import type { Job } from './jobs';\nexport type Key = { pk: string; job?: Job };\n",
  'lib/store/jobs.ts': "import type { Key } from './keys';\nexport type Job = { key: Key };\n",
  // a circle closed by a dynamic import()
  'lib/worker/run.ts': "export async function run(): Promise<number> {\n  const { step } = await import('./step');\n  return step();\n}\n",
  'lib/worker/step.ts': "import { run } from './run';\nexport const step = () => (typeof run === 'function' ? 1 : 0);\n",
  // a diamond is not a circle
  'lib/config/index.ts': "import { a } from './a';\nimport { b } from './b';\nexport const config = a + b;\n",
  'lib/config/a.ts': "import { base } from './base';\nexport const a = base;\n",
  'lib/config/b.ts': "import { base } from './base';\nexport const b = base;\n",
  'lib/config/base.ts': 'export const base = 1;\n',
  // lib/ reaching out of its layer
  'lib/http/outward.ts': [
    "import { handler } from '../../functions/handler';",
    "import { seed } from '../../scripts/seed';",
    "import { bench } from '../../bench/run';",
    "import type { World } from '../../test/helpers/world';",
    'export const outward = [handler, seed, bench] as unknown as World;',
    '',
  ].join('\n'),
  'functions/handler.ts': "import { notify } from '../lib/notices';\nimport { fakeGithub } from '../test/fakes/github';\nexport const handler = () => notify(fakeGithub);\n",
  'test/fakes/github.ts': "export const fakeGithub = 'http://127.0.0.1:0';\n",
  'test/helpers/world.ts': "import { handler } from '../../functions/handler';\nimport { config } from '../../lib/config';\nexport type World = { handler: typeof handler; config: typeof config };\n",
  'scripts/seed.ts': "import { config } from '../lib/config';\nexport const seed = config;\n",
  'bench/run.ts': "import { handler } from '../functions/handler';\nexport const bench = handler;\n",
  'infra/build.mjs': 'export const build = 1;\n',
};

type Edge = [rule: string, from: string, to: string];

let folder: string;
let result: ICruiseResult;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'fluxline-import-rules-'));
  for (const [path, text] of Object.entries(project)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: unknown };
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions }));

  const output = await new Promise<string>((done, fail) => {
    execFile(join(root, 'node_modules/.bin/depcruise'), [...depcruiseArgumentsOfLint(), '--no-cache', '--output-type', 'json'], { cwd: folder, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`depcruise failed: ${stderr}`, { cause: error }));
      else done(stdout);
    });
  });
  result = JSON.parse(output) as ICruiseResult;
});

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const violations = (rule: string): Edge[] =>
  result.summary.violations
    .filter((v) => v.rule.name === rule)
    .map((v): Edge => [v.rule.name, v.from, v.to])
    .sort((x, y) => x.join().localeCompare(y.join()));

describe('npm run lint: import rules (.dependency-cruiser.mjs)', () => {
  it('fails, as lint does, when the project breaks a rule', async () => {
    const { exitCode, output } = await format(result, { outputType: 'err' });
    // The err reporter is depcruise's default: its exit code is the CLI's, and npm stops at a non-zero one.
    expect(exitCode).toBeGreaterThan(0);
    for (const rule of ['no-circular', 'lib-imports-only-lib', 'functions-do-not-import-tests']) expect(output).toContain(`error ${rule}:`);
  });

  it('finds every module of the project, the .mjs ones included, and resolves imports written without .ts', () => {
    const sources = result.modules.map((m) => m.source).sort();
    expect(sources).toEqual(Object.keys(project).sort());
    const unresolved = result.modules.flatMap((m) => m.dependencies.filter((d) => d.couldNotResolve).map((d) => `${m.source} -> ${d.module}`));
    expect(unresolved).toEqual([]);
  });

  it('reports a circle of plain imports, of type-only imports and one closed by a dynamic import(), and no other', () => {
    // depcruise reports each circle once, from whichever of its modules it met first.
    const circles = result.summary.violations
      .filter((v) => v.rule.name === 'no-circular')
      .map((v) => [v.from, ...(v.cycle ?? []).map((step) => step.name)].filter((name, i, all) => all.indexOf(name) === i).sort())
      .sort((x, y) => x.join().localeCompare(y.join()));
    expect(circles).toEqual([
      ['lib/notices/notify.ts', 'lib/notices/render.ts'],
      ['lib/store/jobs.ts', 'lib/store/keys.ts'],
      ['lib/worker/run.ts', 'lib/worker/step.ts'],
    ]);
  });

  it('reports lib/ importing functions/, scripts/, bench/ or test/', () => {
    expect(violations('lib-imports-only-lib')).toEqual([
      ['lib-imports-only-lib', 'lib/http/outward.ts', 'bench/run.ts'],
      ['lib-imports-only-lib', 'lib/http/outward.ts', 'functions/handler.ts'],
      ['lib-imports-only-lib', 'lib/http/outward.ts', 'scripts/seed.ts'],
      ['lib-imports-only-lib', 'lib/http/outward.ts', 'test/helpers/world.ts'],
    ]);
  });

  it('reports functions/ importing test/', () => {
    expect(violations('functions-do-not-import-tests')).toEqual([['functions-do-not-import-tests', 'functions/handler.ts', 'test/fakes/github.ts']]);
  });

  it('reports nothing else: the allowed directions and the diamond pass', () => {
    const rules = new Set(result.summary.violations.map((v) => v.rule.name));
    expect([...rules].sort()).toEqual(['functions-do-not-import-tests', 'lib-imports-only-lib', 'no-circular']);
  });
});
