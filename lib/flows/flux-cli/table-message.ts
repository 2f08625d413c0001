import type { KnownBlock, PlainTextOption } from '@slack/web-api';
import { encodeOptionValue, type FluxCliCommand } from '../../core/commands';
import type { GetTable } from '../../adapters/flux';
import { ACTIONS, BLOCK_KIT, codeSections, escapeMrkdwn, inlineCode, textTable, truncate, truncateMiddle } from '../../adapters/slack';
import { describeCommand } from './flux-args';
import { isNotReady, rowsOfOutput, type ObjectRow } from './table-rows';

type GetCommand = Extract<FluxCliCommand, { verb: 'get' }>;

export interface CommandMessage {
  text: string;
  blocks: KnownBlock[];
  /** The whole output, when it does not fit the message: uploaded next to it (the diff report's rule). */
  upload?: { filename: string; title: string; content: string };
}

export interface TableContext {
  jobId: string;
  cluster: string;
  command: GetCommand;
  requester: string;
}

/** Slack: a static_select holds at most 100 options (DESIGN §5: Botkube's menus break past that). */
export const OPTIONS_PER_MENU = 100;
/** Menus shown for one table; past this many rows, the message asks to narrow the command. */
export const MAX_MENUS = 5;
const NOT_READY_LISTED = 10;
const OPTION_TEXT = 75;

const PLURAL: Record<GetCommand['kind'], string> = {
  Kustomization: 'Kustomizations',
  HelmRelease: 'HelmReleases',
  GitRepository: 'GitRepositories',
  HelmRepository: 'HelmRepositories',
  OCIRepository: 'OCIRepositories',
};

/** The table re-laid with spaces (tabs do not align in Slack), a `✗` before each READY=False row. */
export function alignedTable(table: GetTable): string {
  const rows = table.rows.map((row) => table.columns.map((column) => row[column] ?? ''));
  const readyAt = table.columns.indexOf('READY');
  const marks = ['  ', ...rows.map((cells) => (readyAt >= 0 && (cells[readyAt] ?? '').toLowerCase() === 'false' ? '✗ ' : '  '))];
  return textTable(table.columns, rows)
    .split('\n')
    .map((line, i) => `${marks[i] ?? '  '}${line}`.trimEnd())
    .join('\n');
}

function optionOf(jobId: string, row: ObjectRow, index: number, allNamespaces: boolean): PlainTextOption {
  const label = allNamespaces ? `${row.namespace}/${row.name}` : row.name;
  const state = [`Ready: ${row.ready || '?'}`, ...(row.suspended ? ['suspended'] : [])].join(' · ');
  return {
    text: { type: 'plain_text', text: truncateMiddle(`${isNotReady(row) ? '✗ ' : ''}${label}`, OPTION_TEXT) },
    description: { type: 'plain_text', text: truncate(state, OPTION_TEXT) },
    value: encodeOptionValue({ type: 'flux-row', jobId, row: index }),
  };
}

/** One select menu per 100 rows, up to MAX_MENUS, so every row of a long table can still be chosen. */
function menus(context: TableContext, rows: ObjectRow[]): KnownBlock[] {
  const elements = [];
  for (let page = 0; page * OPTIONS_PER_MENU < rows.length && page < MAX_MENUS; page++) {
    const first = page * OPTIONS_PER_MENU;
    const slice = rows.slice(first, first + OPTIONS_PER_MENU);
    const placeholder = rows.length > OPTIONS_PER_MENU ? `${PLURAL[context.command.kind]} ${first + 1}–${first + slice.length}` : `Choose a ${context.command.kind}…`;
    elements.push({
      type: 'static_select' as const,
      action_id: `${ACTIONS.fluxRow}:${page}`,
      placeholder: { type: 'plain_text' as const, text: placeholder },
      options: slice.map((row, i) => optionOf(context.jobId, row, first + i, context.command.allNamespaces)),
    });
  }
  return elements.length ? [{ type: 'actions', block_id: `flux-rows:${context.jobId}`, elements }] : [];
}

function notReadySection(rows: ObjectRow[], allNamespaces: boolean): KnownBlock[] {
  const failing = rows.filter(isNotReady);
  if (failing.length === 0) return [];
  const lines = failing.slice(0, NOT_READY_LISTED).map((row) => `• ${inlineCode(allNamespaces ? `${row.namespace}/${row.name}` : row.name)}: ${escapeMrkdwn(truncate(row.message || 'no message', 200))}`);
  if (failing.length > NOT_READY_LISTED) lines.push(`and ${failing.length - NOT_READY_LISTED} more`);
  return [{ type: 'section', text: { type: 'mrkdwn', text: truncate(`:red_circle: *${failing.length} not ready*\n${lines.join('\n')}`, BLOCK_KIT.sectionText) } }];
}

/**
 * A `flux get` table as a Slack message: a summary line, READY=False rows listed first, the table in a
 * code block (or uploaded when too long, as diff reports are), and select menus of the rows whose
 * choice offers that object's actions.
 */
export function tableMessage(context: TableContext, output: string): CommandMessage {
  const { table, rows } = rowsOfOutput(context.command, output);
  const what = `${inlineCode(describeCommand(context.command))} on ${inlineCode(context.cluster)}`;
  const failing = rows.filter(isNotReady).length;
  const summary = `${rows.length} ${rows.length === 1 ? context.command.kind : PLURAL[context.command.kind]}${failing ? `, ${failing} not ready` : ', all ready'}`;
  const head: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `${failing ? ':warning:' : ':white_check_mark:'} ${what}: *${summary}*` } }, ...notReadySection(rows, context.command.allNamespaces)];
  const tail: KnownBlock[] = [
    ...menus(context, rows),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${rows.length > OPTIONS_PER_MENU * MAX_MENUS ? `The menus hold the first ${OPTIONS_PER_MENU * MAX_MENUS} rows: add a NAME or \`-n NS\` to narrow the list. ` : ''}Choose one to reconcile, suspend or resume it, or see its events · requested by <@${context.requester}> · job \`${context.jobId}\``,
        },
      ],
    },
  ];
  const title = `${describeCommand(context.command)} on ${context.cluster}: ${summary}`;
  const text = escapeMrkdwn(title);
  const sections = codeSections(alignedTable(table), { maxBlocks: BLOCK_KIT.blocksPerMessage - head.length - tail.length - 1 });
  if (sections.complete) return { text, blocks: [...head, ...sections.blocks, ...tail] };
  return {
    text,
    blocks: [...head, { type: 'section', text: { type: 'mrkdwn', text: `The table is too long for a message: it is attached as a file.` } }, ...tail],
    upload: { filename: `flux-get-${context.cluster}-${context.command.kind.toLowerCase()}.txt`, title, content: alignedTable(table) },
  };
}
