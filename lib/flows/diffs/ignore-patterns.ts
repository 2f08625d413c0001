import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Lines of a .gitignore-format text that are patterns: not blank, not comments. */
function patternLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

/**
 * What source-controller leaves out of the artifact the cluster builds from: the GitRepository's
 * spec.ignore and the root `.sourceignore` (https://fluxcd.io/flux/components/source/gitrepositories/#ignore).
 * flux diff builds from the checkout, so without these it picks up files the cluster never sees.
 */
export async function ignorePatterns(checkout: string, specIgnore: string | undefined): Promise<string[]> {
  const sourceignore = await readFile(join(checkout, '.sourceignore'), 'utf8').catch(() => '');
  return [...new Set([...patternLines(specIgnore ?? ''), ...patternLines(sourceignore)])];
}
