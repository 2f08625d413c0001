import { InvalidConfig, parseConfig } from '../../lib/core/config';

/** The problems config.yaml `text` is refused with (each `path: message`); fails the test if it is accepted. */
export function configProblemsOf(text: string): string[] {
  try {
    parseConfig(text, 'config.yaml');
  } catch (err) {
    if (err instanceof InvalidConfig) return err.problems;
    throw err;
  }
  throw new Error('the config was accepted');
}
