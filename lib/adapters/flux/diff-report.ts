import { outputLines } from './text';

export interface ObjectRef {
  kind: string;
  /** Absent for cluster-scoped objects (`► Namespace/apps created`). */
  namespace?: string;
  name: string;
}

export type ObjectAction = 'created' | 'drifted' | 'deleted' | 'skipped';

export interface DiffSummary {
  counts: Record<ObjectAction, number>;
  created: ObjectRef[];
  drifted: ObjectRef[];
  deleted: ObjectRef[];
  skipped: ObjectRef[];
  /** `📁 Kustomization/ns/name changed`: nested Kustomizations whose objects follow, with `--recursive`. */
  kustomizations: ObjectRef[];
}

/**
 * flux2 internal/build/diff.go writes one line per object, `► <subject> <action>`, where the subject is
 * fluxcd/pkg ssa's `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects (golden file
 * cmd/flux/testdata/diff-kustomization/diff-new-namespace-only.golden: `► Namespace/new-ns created`).
 * Lines start in column 0; dyff's report of a drifted object (field path, `± value change`, `- old`,
 * `+ new`, indented values) never starts with `►`, so it is skipped.
 */
const OBJECT_LINE = /^►\s+(\S+)\s+(created|drifted|deleted|skipped)\s*$/u;
/**
 * With `--recursive`: `📁 Kustomization/ns/name changed` heads a nested Kustomization's objects.
 * `📁 … deleted resources` (cascade deletes) only heads a list whose objects have their own `►` lines.
 */
const KUSTOMIZATION_LINE = /^📁\s+(\S+)\s+changed\s*$/u;

function objectRef(subject: string): ObjectRef | undefined {
  const parts = subject.split('/');
  if (parts.some((part) => part === '')) return undefined;
  const [kind, second, third] = parts;
  if (parts.length === 2 && kind && second) return { kind, name: second };
  if (parts.length === 3 && kind && second && third) return { kind, namespace: second, name: third };
  return undefined;
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
  };
  for (const line of outputLines(text)) {
    const object = OBJECT_LINE.exec(line);
    if (object) {
      const ref = objectRef(object[1] ?? '');
      const action = object[2] as ObjectAction;
      if (ref) {
        summary[action].push(ref);
        summary.counts[action] += 1;
      }
      continue;
    }
    const kustomization = KUSTOMIZATION_LINE.exec(line);
    const ref = kustomization ? objectRef(kustomization[1] ?? '') : undefined;
    if (ref) summary.kustomizations.push(ref);
  }
  return summary;
}
