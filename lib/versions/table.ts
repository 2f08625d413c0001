import { truncate } from '../slack';

/** A monospace table for a ``` block: columns padded to their widest cell, each cell cut to `maxCell`. */
export function textTable(header: string[], rows: string[][], maxCell = 40): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => truncate(cell, maxCell)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => Array.from(row[column] ?? '').length)));
  return cells.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd()).join('\n');
}

/** `2026-11-20 10:00Z`: minutes are enough to tell deployments apart in chat. */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
