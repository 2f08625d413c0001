/**
 * `build`, run once on the first call and its result kept: how schemas are made where a cold start loads
 * their module but may never parse with them (the Slack ingress, DESIGN §2). Imported from this file, not
 * through the validation index, which is zod's surface: this is no zod call.
 */
export function onFirstUse<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
