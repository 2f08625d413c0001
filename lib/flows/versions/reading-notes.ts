import { inlineCode } from '../../adapters/slack';
import type { ClusterReading } from './read-versions';

const UNREACHABLE = new Set(['ClusterUnreachable', 'ClusterTimeout']);

/** "`down`: unreachable — cluster down is unreachable at …": a cluster that did not answer, and why. */
export function downNote(reading: Extract<ClusterReading, { status: 'down' }>): string {
  return `:warning: ${inlineCode(reading.cluster)}: ${UNREACHABLE.has(reading.errorName) ? 'unreachable' : 'could not be read'} — ${inlineCode(reading.reason)}`;
}

export function downNotes(readings: ClusterReading[]): string[] {
  return readings.flatMap((reading) => (reading.status === 'down' ? [downNote(reading)] : []));
}
