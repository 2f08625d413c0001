/**
 * Like Promise.all for steps that are started together, but waits for every one of them before it throws
 * the first failure: a Lambda handler that returns while a write or a post is still in flight may be
 * frozen mid-request, and the next attempt must find each step either made or not, never half-way.
 */
export async function settleAll<T>(steps: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(steps);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
