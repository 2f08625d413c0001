import { outputLines } from './text';

export interface ObjectRef {
  kind: string;
  /** Absent for cluster-scoped objects (`► Namespace/apps created`). */
  namespace?: string;
  name: string;
}

export type ObjectAction = 'created' | 'drifted' | 'deleted' | 'skipped';

/**
 * One entry of dyff's report of a drifted object: the field path line, then what happened to it.
 * `value`: `± value change` with `- old` / `+ new`; `added` / `removed`: `+ one map entry added:`,
 * `- two list entries removed:` and the like (their values follow as YAML and are not read); `other`:
 * anything else dyff prints (type changes, order changes), kept by path so it still counts.
 */
export interface FieldChange {
  path: string;
  change: 'value' | 'added' | 'removed' | 'other';
  before?: string;
  after?: string;
}

/** An object line of the report with the field changes dyff printed under it (only drifted objects have any). */
export interface DiffObject extends ObjectRef {
  action: ObjectAction;
  changes: FieldChange[];
}

export interface DiffSummary {
  counts: Record<ObjectAction, number>;
  created: ObjectRef[];
  drifted: ObjectRef[];
  deleted: ObjectRef[];
  skipped: ObjectRef[];
  /** `📁 Kustomization/ns/name changed`: nested Kustomizations whose objects follow, with `--recursive`. */
  kustomizations: ObjectRef[];
  /** Every object line in report order, with its field changes: what risk flags are computed from. */
  objects: DiffObject[];
}

/**
 * flux2 internal/build/diff.go writes one line per object, `► <subject> <action>`, where the subject is
 * fluxcd/pkg ssa's `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects (golden file
 * cmd/flux/testdata/diff-kustomization/diff-new-namespace-only.golden: `► Namespace/new-ns created`).
 * Lines start in column 0; dyff's report of a drifted object (field path, `± value change`, `- old`,
 * `+ new`, indented values) never starts with `►`, so it is skipped.
 */
// flux's markers ► 📁 ⇆ are written as escapes in these patterns: esbuild keeps a regex literal's
// characters as they are, and one past U+00FF makes V8 hold the whole bundle's source as UTF-16, twice
// the memory (test/infra/bundles.test.ts).
const OBJECT_LINE = /^\u25BA\s+(\S+)\s+(created|drifted|deleted|skipped)\s*$/u;
/**
 * With `--recursive`: `📁 Kustomization/ns/name changed` heads a nested Kustomization's objects.
 * `📁 … deleted resources` (cascade deletes) only heads a list whose objects have their own `►` lines.
 */
const KUSTOMIZATION_LINE = /^\u{1F4C1}\s+(\S+)\s+changed\s*$/u;

function objectRef(subject: string): ObjectRef | undefined {
  const parts = subject.split('/');
  if (parts.some((part) => part === '')) return undefined;
  const [kind, second, third] = parts;
  if (parts.length === 2 && kind && second) return { kind, name: second };
  if (parts.length === 3 && kind && second && third) return { kind, namespace: second, name: third };
  return undefined;
}

/** `± value change`, `+ one map entry added:`, `- three list entries removed:`, `⇆ order changed`. */
const CHANGE_HEAD = /^(±|\+|-|\u21C6)\s+(.*)$/u;
/** A value line under `± value change`: `- old` or `+ new`, indented or not as dyff's version likes. */
const VALUE_LINE = /^([+-])\s(.*)$/u;

/**
 * Reads the dyff blocks under one drifted object. Blocks are separated by blank lines; each starts with a
 * field path (`spec.template.spec.containers.podinfod.image`, sometimes followed by `  (apps/v1/…)`),
 * then one change head. Indentation differs between flux versions, so lines are compared trimmed.
 */
function fieldChanges(lines: string[]): FieldChange[] {
  const changes: FieldChange[] = [];
  let path: string | undefined;
  let current: FieldChange | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') {
      path = undefined;
      current = undefined;
      continue;
    }
    if (path === undefined) {
      // `spec.replicas  (apps/v1/Deployment/default/podinfo)`: the document reference is not part of the path.
      path = line.split(/\s{2,}\(/u)[0]?.trim() ?? line;
      continue;
    }
    if (!current) {
      const head = CHANGE_HEAD.exec(line);
      if (!head) continue;
      const words = head[2] ?? '';
      const change: FieldChange['change'] = head[1] === '±' && /value change/u.test(words) ? 'value' : /\badded\b/u.test(words) ? 'added' : /\bremoved\b/u.test(words) ? 'removed' : 'other';
      current = { path, change };
      changes.push(current);
      continue;
    }
    if (current.change !== 'value') continue;
    const value = VALUE_LINE.exec(line);
    if (!value) continue;
    if (value[1] === '-' && current.before === undefined) current.before = value[2]?.trim() ?? '';
    else if (value[1] === '+' && current.after === undefined) current.after = value[2]?.trim() ?? '';
  }
  return changes;
}

/** Counts and lists the objects a `flux diff kustomization` report creates, drifts, deletes or skips. */
export function parseDiffReport(text: string): DiffSummary {
  const summary: DiffSummary = {
    counts: { created: 0, drifted: 0, deleted: 0, skipped: 0 },
    created: [],
    drifted: [],
    deleted: [],
    skipped: [],
    kustomizations: [],
    objects: [],
  };
  /** Lines under the last object line, until the next object or Kustomization line: its dyff report. */
  let body: string[] = [];
  let open: DiffObject | undefined;
  const close = () => {
    if (open && open.action === 'drifted') open.changes = fieldChanges(body);
    open = undefined;
    body = [];
  };
  for (const line of outputLines(text)) {
    const object = OBJECT_LINE.exec(line);
    if (object) {
      close();
      const ref = objectRef(object[1] ?? '');
      const action = object[2] as ObjectAction;
      if (ref) {
        summary[action].push(ref);
        summary.counts[action] += 1;
        open = { ...ref, action, changes: [] };
        summary.objects.push(open);
      }
      continue;
    }
    const kustomization = KUSTOMIZATION_LINE.exec(line);
    if (kustomization || line.startsWith('📁') || line.startsWith('⚠')) {
      close();
      const ref = kustomization ? objectRef(kustomization[1] ?? '') : undefined;
      if (ref) summary.kustomizations.push(ref);
      continue;
    }
    body.push(line);
  }
  close();
  return summary;
}

/** An object line as shown to reviewers (displayReport): `drifted` reads `changed`. */
const SHOWN_DRIFTED_LINE = /^(\u25BA\s+\S+\s+)changed(\s*)$/u;

/**
 * The report as a reviewer reads it: flux's `► Kind/ns/name drifted` lines say `changed` (what the merge
 * does to the object), everything else as flux printed it. Accepted back by reportSections.
 */
export function displayReport(report: string): string {
  return report.replace(/^(\u25BA\s+\S+\s+)drifted(\s*)$/gmu, '$1changed$2');
}

/** One object's part of the report (or a nested Kustomization's heading, or what precedes the first object). */
export interface ReportSection {
  /** The object or Kustomization line that starts it; `Diff` for lines before the first. */
  heading: string;
  /** Its lines as flux printed them, the heading included. */
  text: string;
}

/**
 * The report cut where this parser sees an object start (`► Kind/ns/name action`) or a `📁` Kustomization
 * line (in flux's words or displayReport's), each part keeping its own lines: the PR comment folds one
 * `<details>` per part. The same line grammar as parseDiffReport, so the comment, the counts and the flags never disagree on what an object is.
 */
export function reportSections(text: string): ReportSection[] {
  const sections: ReportSection[] = [];
  let current: { heading: string; lines: string[] } = { heading: 'Diff', lines: [] };
  const starts = (line: string) => OBJECT_LINE.test(line) || SHOWN_DRIFTED_LINE.test(line) || line.startsWith('📁');
  for (const line of text.split('\n')) {
    if (starts(line)) {
      if (current.lines.some((l) => l.trim() !== '')) sections.push({ heading: current.heading, text: current.lines.join('\n') });
      current = { heading: line.trim(), lines: [] };
    }
    current.lines.push(line);
  }
  if (current.lines.some((l) => l.trim() !== '')) sections.push({ heading: current.heading, text: current.lines.join('\n') });
  return sections;
}
