import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseGetTable, type GetTable } from '../../lib/adapters/flux';

const fixture = (name: string) => readFileSync(join(resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/flux-get'), `${name}.golden`), 'utf8');
const COLUMNS = ['NAME', 'REVISION', 'SUSPENDED', 'READY', 'MESSAGE'];

describe('parseGetTable', () => {
  it.each<[string, GetTable]>([
    [
      'kustomizations',
      { columns: COLUMNS, rows: [{ NAME: 'tkfg', REVISION: '6.3.5@sha1:67e2c98a', SUSPENDED: 'False', READY: 'True', MESSAGE: 'Applied revision: 6.3.5@sha1:67e2c98a' }] },
    ],
    [
      'sources-git',
      { columns: COLUMNS, rows: [{ NAME: 'podinfo', REVISION: 'main@sha1:696f056d', SUSPENDED: 'False', READY: 'True', MESSAGE: 'Fetched revision: main@sha1:696f056d' }] },
    ],
  ])('reads the %s table: tab-separated, space-padded, rows ending in a tab', (name, expected) => {
    // Act
    const table = parseGetTable(fixture(name));

    // Assess
    expect(table).toEqual(expected);
  });

  it('reads a leading NAMESPACE column (-A) and keeps spaces inside a cell', () => {
    // Prepare: laid out by the rules of flux2 pkg/printers/table_printer.go (not a captured output).
    const text = [
      'NAMESPACE  \tNAME   \tREVISION          \tSUSPENDED\tREADY\tMESSAGE                                         \t',
      'flux-system\tapps   \tmain@sha1:696f056d\tFalse    \tTrue \tApplied revision: main@sha1:696f056d           \t',
      'podinfo    \tpodinfo\t                  \tTrue     \tFalse\tkustomize build failed: missing Resources file\t',
      '',
    ].join('\n');

    // Act
    const table = parseGetTable(text);

    // Assess
    expect(table.columns).toEqual(['NAMESPACE', ...COLUMNS]);
    expect(table.rows[1]).toEqual({ NAMESPACE: 'podinfo', NAME: 'podinfo', REVISION: '', SUSPENDED: 'True', READY: 'False', MESSAGE: 'kustomize build failed: missing Resources file' });
  });

  it('accepts a header without the trailing tab, as older flux printed it, and CRLF', () => {
    // Prepare: flux2 cmd/flux/testdata/kustomization/get_kustomization_from_git.golden (v0.x)
    const text = 'NAME\tREVISION      \tSUSPENDED\tREADY\tMESSAGE                          \r\ntkfg\t6.0.0/627d5c4b\tFalse    \tTrue \tApplied revision: 6.0.0/627d5c4b\t\r\n';

    // Act
    const table = parseGetTable(text);

    // Assess
    expect(table.columns).toEqual(COLUMNS);
    expect(table.rows).toEqual([{ NAME: 'tkfg', REVISION: '6.0.0/627d5c4b', SUSPENDED: 'False', READY: 'True', MESSAGE: 'Applied revision: 6.0.0/627d5c4b' }]);
  });

  it('returns no columns and no rows for empty output', () => {
    expect(parseGetTable('')).toEqual({ columns: [], rows: [] });
  });
});
