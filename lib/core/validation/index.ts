// zod, set up once for every schema: import it as `import * as z from '.'`, never from 'zod'.
//
// zod/mini, not classic zod: classic hangs every method on every schema, so each Lambda bundle carried all
// of zod and its ~60 locales (444 KB of github-webhook's 1,342 KB), loaded on every cold start; of zod/mini
// esbuild keeps only the functions our schemas call. Hence also names re-exported, not a `z` object:
// esbuild keeps the whole of a namespace object that is passed around as a value.
//
// zod/mini loads no locale, so every message would be "Invalid input", and ours reach users (config.yaml
// problems, refused payloads). `en` is imported by name: `z.locales.en` would bundle every locale.
import { config } from 'zod/mini';
import { en } from 'zod/locales';

// jitless: classic zod's `new Function` object parsers cost 3-5 ms per schema on a cold first parse and won nothing back in 2,000 parses; zod/mini 4.6 does not compile, and this keeps it so.
config({ ...en(), jitless: true });

export * from 'zod/mini';
export { describeIssue, firstIssue } from './issues';
