import workerThreads from 'node:worker_threads';
import zlib from 'node:zlib';

/**
 * Lets @kubernetes/client-node 2.0.1 load on Node 20. It depends on undici 8, which declares
 * `engines: node >= 22.19` and, at load time, binds `zlib.createZstdDecompress` (Node 22.15) and calls
 * `worker_threads.markAsUncloneable` (Node 22.10), then uses `Promise.withResolvers` (Node 22) per request.
 * The Lambda runtime (nodejs22.x, DESIGN §4) has all three and this module changes nothing there; on the
 * Node 20 of local runs and CI it fills in exactly these, and nothing that exists is replaced.
 *
 * Import it before anything that imports @kubernetes/client-node (ES modules evaluate their imports in
 * order). It goes away when the project's Node is 22.19 or later.
 */
const zlibModule = zlib as typeof zlib & { createZstdDecompress?: unknown };
if (typeof zlibModule.createZstdDecompress !== 'function') {
  // undici's fetch offers zstd only over https, and the Kubernetes API server compresses with gzip only
  // (APIResponseCompression), so this is never called; if it were, the error says why.
  zlibModule.createZstdDecompress = () => {
    throw new Error('a zstd-encoded response needs Node 22.15 or later');
  };
}

const workerThreadsModule = workerThreads as typeof workerThreads & { markAsUncloneable?: unknown };
if (typeof workerThreadsModule.markAsUncloneable !== 'function') {
  // Only forbids structuredClone of undici's own objects; nothing here clones them.
  workerThreadsModule.markAsUncloneable = () => undefined;
}

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}
const promiseConstructor = Promise as PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> };
if (typeof promiseConstructor.withResolvers !== 'function') {
  promiseConstructor.withResolvers = <T>(): Resolvers<T> => {
    let resolve: Resolvers<T>['resolve'] = () => undefined;
    let reject: Resolvers<T>['reject'] = () => undefined;
    const promise = new Promise<T>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    return { promise, resolve, reject };
  };
}
