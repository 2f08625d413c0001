import { outputLines } from './text';

export interface GetTable {
  /** Header cells as printed, e.g. `NAME`, `REVISION`, `READY`; `-A` adds a leading `NAMESPACE`. */
  columns: string[];
  /** One record per row, keyed by column. */
  rows: Record<string, string>[];
}

function cells(line: string): string[] {
  const parts = line.split('\t').map((cell) => cell.trim());
  // Rows end with the table padding (a tab), which leaves one empty cell behind.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * Parses one `flux get …` table. flux2 pkg/printers/table_printer.go renders it with tablewriter: no
 * borders, "\t" as the padding between columns, each cell left-aligned and right-padded with spaces,
 * headers upper-cased. So cells are split on tabs and trimmed; spaces inside a cell (a MESSAGE) stay.
 * Expects the header row (no `--no-header`). `flux get all` prints several tables separated by blank
 * lines: split it first.
 */
export function parseGetTable(text: string): GetTable {
  const lines = outputLines(text).filter((line) => line.trim() !== '');
  const [header, ...body] = lines;
  if (header === undefined) return { columns: [], rows: [] };
  const columns = cells(header);
  const rows = body.map((line) => {
    const values = cells(line);
    return Object.fromEntries(columns.map((column, i) => [column, values[i] ?? '']));
  });
  return { columns, rows };
}
