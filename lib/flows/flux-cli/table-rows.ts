import type { FluxCliCommand, FluxKind } from '../../core/commands';
import { parseGetTable, type GetTable } from '../../adapters/flux';

/** One Flux object of a `flux get` table, read by column name so `-A` and `--show-source` layouts both work. */
export interface ObjectRow {
  kind: FluxKind;
  namespace: string;
  name: string;
  /** `True`, `False` or `Unknown`, as printed. */
  ready: string;
  /** undefined when the table has no SUSPENDED column. */
  suspended: boolean | undefined;
  message: string;
}

type GetCommand = Extract<FluxCliCommand, { verb: 'get' }>;

/** The rows of a stored `flux get` output; `-A` tables carry each row's namespace, others the command's. */
export function objectRows(command: GetCommand, table: GetTable): ObjectRow[] {
  return table.rows
    .map((row) => ({
      kind: command.kind,
      namespace: row.NAMESPACE || command.namespace,
      name: row.NAME ?? '',
      ready: row.READY ?? '',
      suspended: row.SUSPENDED === undefined ? undefined : row.SUSPENDED.toLowerCase() === 'true',
      message: row.MESSAGE ?? '',
    }))
    .filter((row) => row.name !== '');
}

export function rowsOfOutput(command: GetCommand, output: string): { table: GetTable; rows: ObjectRow[] } {
  const table = parseGetTable(output);
  return { table, rows: objectRows(command, table) };
}

export const isNotReady = (row: ObjectRow) => row.ready.toLowerCase() === 'false';
