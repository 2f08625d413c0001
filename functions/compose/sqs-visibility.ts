import { awsOptionsFromEnv } from '../../lib/adapters/aws/options';
import { changeMessageVisibility } from '../../lib/adapters/aws/sqs';
import type { AwsCallOptions } from '../../lib/adapters/aws/json-request';
import type { Env } from '../../lib/core/config';

/** How a queue consumer backs off a failed message: SQS ChangeMessageVisibility on its receipt handle. */
export function delayRedelivery(env: Env) {
  let options: AwsCallOptions | undefined;
  return async ({ queueUrl, receiptHandle }: { queueUrl: string; receiptHandle: string }, seconds: number): Promise<void> => {
    options ??= awsOptionsFromEnv(env, 'sqs');
    await changeMessageVisibility(options, { queueUrl, receiptHandle, visibilityTimeoutSeconds: seconds });
  };
}
