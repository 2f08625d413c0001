/** PATCH as the API server applies it to an object: JSON merge patch and JSON patch. */

export /** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** RFC 6902 JSON patch, the add / replace / remove operations (client-node's default patch type). */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new Error('a JSON patch is an array of operations');
  const document = structuredClone(target) as Record<string, unknown>;
  for (const operation of operations as { op: string; path: string; value?: unknown }[]) {
    const keys = operation.path.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error(`invalid path ${operation.path}`);
    let parent: Record<string, unknown> = document;
    for (const key of keys) {
      const next = parent[key];
      if (typeof next !== 'object' || next === null) throw new Error(`path ${operation.path} does not exist`);
      parent = next as Record<string, unknown>;
    }
    if (operation.op === 'remove') delete parent[last];
    else if (operation.op === 'add' || operation.op === 'replace') parent[last] = operation.value;
    else throw new Error(`unsupported JSON patch operation ${operation.op}`);
  }
  return document;
}
