import { FAILURE_PREFIX, isChangesMarkerLine } from './contract';
import { outputLines } from './text';

/** Long enough for a multi-error dry-run failure, short enough for one Slack section (3,000 chars). */
export const MAX_MESSAGE_CHARS = 1_000;
/** When flux printed neither `✗` nor `Error:` lines, this many of its last lines tell the story. */
const TAIL_LINES = 5;

function cap(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

/**
 * The most useful part of flux's stderr for a person: its `✗ …` failure lines (cmd/flux/log.go
 * Failuref, used for every error it exits with), else cobra's `Error: …` lines (printed by builds that
 * do not silence cobra), else the last few non-empty lines. Colour codes removed, length capped.
 */
export function fluxErrorMessage(stderr: string): string {
  const lines = outputLines(stderr)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !isChangesMarkerLine(line));
  const failures = lines.filter((line) => line.trimStart().startsWith(FAILURE_PREFIX));
  if (failures.length > 0) return cap(failures.join('\n'));
  const cobraErrors = lines.filter((line) => line.startsWith('Error:'));
  if (cobraErrors.length > 0) return cap(cobraErrors.join('\n'));
  return cap(lines.slice(-TAIL_LINES).join('\n'));
}

/** flux's warning prefix (cmd/flux/log.go Warningf). */
const WARNING_PREFIX = '⚠️';

/**
 * flux's `⚠️` lines other than the changes marker (e.g. a nested Kustomization of a remote source it
 * skipped): they say what the diff did not cover, so the report keeps them. Capped like error messages.
 */
export function fluxWarnings(stderr: string): string[] {
  return outputLines(stderr)
    .map((line) => line.trim())
    .filter((line) => line.startsWith(WARNING_PREFIX) && !isChangesMarkerLine(line))
    .map((line) => cap(line.slice(WARNING_PREFIX.length).trim()))
    .slice(0, 20);
}
