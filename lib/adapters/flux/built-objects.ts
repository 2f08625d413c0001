import { parseAllDocuments } from 'yaml';
import type { ObjectRef } from './diff-report';

/** What a Secret's values become in a built object shown to people: flux build prints them as they are. */
export const SECRET_VALUE_MASK = '*****';

export interface BuiltObject extends ObjectRef {
  /** The object's YAML as flux printed it, every Secret `data`/`stringData` value replaced by SECRET_VALUE_MASK. */
  yaml: string;
}

/** `Kind/namespace/name`, or `Kind/name` for a cluster-scoped object: flux's subject in `► … created`. */
export function objectSubject(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/**
 * The objects of `flux build kustomization` output: multi-document YAML, one object per document
 * (fluxcd/pkg ssa/utils ObjectsToYAML, each followed by `---`). flux masks only SOPS-encrypted Secret
 * values (internal/build/build.go maskSopsData); a plain Secret's values are printed, so they are masked
 * here, before the text goes anywhere. Documents that are not objects, or do not parse, are left out.
 */
export function builtObjects(stdout: string): BuiltObject[] {
  const objects: BuiltObject[] = [];
  for (const doc of parseAllDocuments(stdout)) {
    if (doc.errors.length > 0) continue;
    const object: unknown = doc.toJS();
    if (!object || typeof object !== 'object') continue;
    const { kind, metadata } = object as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    if (typeof kind !== 'string' || typeof metadata?.name !== 'string') continue;
    if (kind === 'Secret') {
      for (const field of ['data', 'stringData']) {
        const values = (object as Record<string, unknown>)[field];
        if (values && typeof values === 'object') for (const key of Object.keys(values)) doc.setIn([field, key], doc.createNode(SECRET_VALUE_MASK));
      }
    }
    objects.push({ kind, name: metadata.name, ...(typeof metadata.namespace === 'string' && metadata.namespace ? { namespace: metadata.namespace } : {}), yaml: doc.toString({ indentSeq: false }).replace(/^---\n/, '').replace(/\n?\.\.\.\n?$/, '\n') });
  }
  return objects;
}
