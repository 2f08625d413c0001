import * as z from '../validation';
import { echoConfigSchema } from './echo';
import { kubectlConfigSchema } from './kubectl-spec';
import { executorMessageSchema } from './message';
import { executorRequestSchema } from './remote-protocol';

/**
 * The contract as JSON Schema, for docs/executors/ (written by scripts/executor-schemas.ts; a test keeps
 * the files equal to this): what an executor answers, and each built-in's configuration as config.yaml takes it.
 */
export function executorJsonSchemas(): Record<string, unknown> {
  return {
    'executor-message': z.toJSONSchema(executorMessageSchema),
    // What an out-of-process executor receives (it answers an executor-message).
    'executor-request': z.toJSONSchema(executorRequestSchema()),
    'echo-config': z.toJSONSchema(echoConfigSchema, { io: 'input' }),
    'kubectl-config': z.toJSONSchema(kubectlConfigSchema, { io: 'input' }),
  };
}
