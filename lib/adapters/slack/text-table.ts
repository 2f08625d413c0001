import { truncate } from './mrkdwn';

/**
 * A monospace table for a ``` block: columns padded to their widest cell (in code points), two spaces
 * apart, the last column unpadded; each cell cut to `maxCell`.
 */
export function textTable(header: string[], rows: string[][], maxCell = Infinity): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => truncate(cell, maxCell)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => Array.from(row[column] ?? '').length)));
  return cells.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd()).join('\n');
}
