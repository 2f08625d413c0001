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
  {
    // One zod for every schema: lib/validation sets zod/mini up (English messages), and classic zod would
    // put all of zod back into every Lambda bundle.
    files: ['**/*.ts'],
    ignores: ['lib/validation/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['zod', 'zod/*'], message: 'Use `import * as z from` lib/validation: zod/mini set up once, with English messages.' }] }] },
  },
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
