import { executorMessageSchema, type ExecutorMessage } from '../../core/executors/message';
import { firstIssue } from '../../core/validation';
import { RemoteExecutorFailed } from './errors';

/**
 * An executor's answer, held to the schema a built-in's result is held to (docs/executors/
 * executor-message.schema.json). Anything else is a failure named in plain words; its text is not shown.
 */
export function decodeAnswer(executor: string, body: Buffer): ExecutorMessage {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RemoteExecutorFailed(executor, 'not-json', `${executor} answered something that is not JSON; an executor answers an executor message (docs/executors/executor-message.schema.json).`);
  }
  const parsed = executorMessageSchema.safeParse(json);
  if (!parsed.success) {
    throw new RemoteExecutorFailed(executor, 'not-a-message', `${executor} answered JSON that is not an executor message (${firstIssue(parsed.error)}); see docs/executors/executor-message.schema.json.`);
  }
  return parsed.data;
}
