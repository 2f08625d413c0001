import { awsOptionsFromEnv } from '../../lib/aws/options';
import { changeMessageVisibility } from '../../lib/aws/sqs';
import type { AwsCallOptions } from '../../lib/aws/json-request';
import type { Env } from '../../lib/config';

/** How a queue consumer backs off a failed message: SQS ChangeMessageVisibility on its receipt handle. */
export function delayRedelivery(env: Env) {
  let options: AwsCallOptions | undefined;
  return async ({ queueUrl, receiptHandle }: { queueUrl: string; receiptHandle: string }, seconds: number): Promise<void> => {
    options ??= awsOptionsFromEnv(env, 'sqs');
    await changeMessageVisibility(options, { queueUrl, receiptHandle, visibilityTimeoutSeconds: seconds });
  };
}
