// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.serverless/', '.esbuild/', '.cache/', 'dist/', 'coverage/', 'bench/peers/**/node_modules/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // In Lambda a promise nobody awaits is work that may never happen.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // One zod for every schema: lib/core/validation sets zod/mini up (English messages), and classic zod would
  // put all of zod back into every Lambda bundle. And the layers of DESIGN §1, each importing only those below
  // it: lib/core (kernel) ← lib/adapters (the outside world) ← lib/flows (what a user asks for) ← functions/
  // (the composition root). Type-only imports count too: a layer that names another's types depends on it.
  ...[
    { files: ['**/*.ts'], ignores: ['lib/**', 'functions/**'], above: [] },
    { files: ['functions/**/*.ts'], above: [] },
    { files: ['lib/flows/**/*.ts'], above: ['functions'] },
    { files: ['lib/adapters/**/*.ts'], above: ['functions', 'flows'] },
    { files: ['lib/core/**/*.ts'], ignores: ['lib/core/validation/**'], above: ['functions', 'flows', 'adapters'] },
    { files: ['lib/core/validation/**/*.ts'], above: ['functions', 'flows', 'adapters'], zod: true },
  ].map(({ files, ignores, above, zod }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...(zod ? [] : [{ group: ['zod', 'zod/*'], message: 'Use `import * as z from` lib/core/validation: zod/mini set up once, with English messages.' }]),
            ...above.map((layer) => ({
              group: [`**/${layer === 'functions' ? 'functions' : `lib/${layer}`}/**`, `../${layer}/**`, `../../${layer}/**`],
              message: `DESIGN §1: a layer imports only the layers below it; ${layer} is above this file.`,
            })),
          ],
        },
      ],
    },
  })),
  {
    // vitest's asymmetric matchers (expect.stringMatching, expect.any) are typed `any`.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly' } },
  },
  {
    // The bench's plain-JavaScript children (ESM) and its Probot and Bolt peers (CommonJS, as their docs write them).
    files: ['bench/**/*.mjs', 'bench/**/*.cjs'],
    languageOptions: { globals: { URLSearchParams: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly' } },
  },
);
