// The environment npm start runs in: .env under the shell, free ports, PATH look-ups, local secrets.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import dotenv from 'dotenv';
import { root } from './common.mjs';

/** The shell wins over .env, as with dotenv's defaults; nothing is written to process.env. */
export function loadEnv() {
  const path = join(root, '.env');
  const fromFile = existsSync(path) ? dotenv.parse(readFileSync(path)) : {};
  return { ...fromFile, ...process.env };
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

export function onPath(command, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Applies the local-only secret defaults for the variables left unset; returns the names it set. */
export function applyLocalSecrets(env, localSecrets) {
  const defaulted = [];
  for (const [name, value] of Object.entries(localSecrets)) {
    if (env[name]) continue;
    env[name] = value;
    defaulted.push(name);
  }
  return defaulted;
}

