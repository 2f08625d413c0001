// What every part of `npm start` shares: the repository root and the two ways it talks.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const log = (line = '') => console.log(`[start] ${line}`);
export const warn = (line) => console.error(`[start] ${line}`);
