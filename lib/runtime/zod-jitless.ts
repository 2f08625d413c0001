import { config } from 'zod/v4/core';

/**
 * zod 4 compiles a parser for each object schema (`new Function`) on its first parse. A Lambda parses
 * each schema once on a cold start and a few times after: compiling costs more than it saves (~6 ms of
 * the first webhook request, for its payload and config.yaml), and interpreted parsing is as fast for
 * our small objects when warm. Each schema reads the flag when it is built, so every function imports
 * this module before anything else (functions/*.ts).
 */
config({ jitless: true });
