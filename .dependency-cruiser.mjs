// @ts-check
/**
 * The import rules of DESIGN.md §1 that eslint does not see: it lints one file at a time, and a circle or
 * a layer crossed is a property of the whole graph. `npm run lint` runs `depcruise` with this file after
 * eslint. The graph is TypeScript's own (tsPreCompilationDeps): `import type` edges count, and so do
 * dynamic `import()` edges, since a circle through either still ties two modules into one.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circle anywhere (DESIGN.md §1): a module in a circle cannot be read, tested or bundled without the rest of it. Move what both sides need into a third module below them.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-imports-only-lib',
      severity: 'error',
      comment: 'lib/ is the core that everything else calls (DESIGN.md §1): it never imports the Lambda handlers (functions/), the scripts, the bench or the tests.',
      from: { path: '^lib/' },
      to: { path: '^(functions|scripts|bench|test)/' },
    },
    {
      name: 'functions-do-not-import-tests',
      severity: 'error',
      comment: 'functions/ is what ships in the Lambda bundles: a test helper or fake imported there would ship too.',
      from: { path: '^functions/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    // Packages are not ours to untangle: stop at their entry point.
    doNotFollow: { path: 'node_modules' },
    // bench/peers/ installs its own node_modules (Probot, Bolt) next to the peers.
    exclude: { path: '(^|/)node_modules/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // Bundler resolution as in tsconfig.json: `.ts` imports are written without their extension.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.mts', '.mts', '.mjs', '.js', '.cjs', '.json'],
    },
    // Unchanged files are not parsed again (node_modules/.cache/dependency-cruiser).
    cache: { strategy: 'content' },
  },
};
