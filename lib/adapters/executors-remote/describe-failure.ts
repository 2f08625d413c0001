import type { CappedPostFailure, CappedPostOptions } from './capped-post';

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

/** A failed exchange with an executor in words for the thread; `what` names it (`runbooks`, `runbooks (Lambda)`). */
export function describeFailure(what: string, failure: CappedPostFailure, options: CappedPostOptions): string {
  switch (failure.kind) {
    case 'connect-timeout':
      return `${what} did not accept a connection within ${seconds(options.connectTimeoutMs)}.`;
    case 'timeout':
      return `${what} did not answer within ${seconds(options.timeoutMs)}.`;
    case 'too-large':
      return `${what} answered more than ${kib(options.maxResponseBytes)}, the most Fluxline reads; make the answer shorter.`;
    case 'unreachable':
      return `${what} could not be reached (${failure.code}).`;
  }
}
