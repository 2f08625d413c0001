import { Logger } from '@aws-lambda-powertools/logger';
import { maskSecrets } from '../sanitise';

/**
 * Every string of a log line passes the one secret masker (DESIGN §3): an error quoting flux's stderr or
 * a kubeconfig reaches CloudWatch with its credentials masked. Powertools calls this before it turns an
 * Error into `{ name, message, stack }`, and again on each of those strings.
 */
function maskLogValue(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? maskSecrets(value) : value;
}

/**
 * One structured logger for every function. Callers add the delivery/job id with `appendKeys` at the
 * start of each invocation. Never pass tokens, signatures, private keys, kubeconfigs or Secret values.
 */
export const logger = new Logger({
  serviceName: 'fluxline',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? (process.env.VITEST ? 'SILENT' : 'INFO'),
  jsonReplacerFn: maskLogValue,
});

export type { Logger };
