import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger for every function. Callers add the delivery/job id with `appendKeys` at the
 * start of each invocation. Never pass tokens, signatures, private keys, kubeconfigs or Secret values.
 */
export const logger = new Logger({ serviceName: 'fluxline', logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? (process.env.VITEST ? 'SILENT' : 'INFO') });

export type { Logger };
