/** Something went wrong talking to AWS from the lean client (lib/adapters/aws). Never carries a credential. */
export class AwsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AwsError';
  }
}

/** Lambda sets the AWS_* credential variables for every function; locally they come from the shell. */
export class MissingAwsCredentials extends AwsError {
  constructor(readonly variable: string) {
    super(`${variable} is not set: Lambda sets it from the function's role; locally export AWS credentials (aws configure export-credentials --format env)`);
    this.name = 'MissingAwsCredentials';
  }
}

/**
 * AWS answered with an error, or could not be reached (`status` 0). `code` is the AWS error code
 * (`QueueDoesNotExist`, `ThrottlingException`, `NetworkError`, `TimeoutError`).
 */
export class AwsRequestFailed extends AwsError {
  constructor(
    readonly service: string,
    readonly operation: string,
    readonly status: number,
    readonly code: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${service.toUpperCase()} ${operation} failed (${status ? `HTTP ${status} ` : ''}${code}): ${detail}`, options);
    this.name = 'AwsRequestFailed';
  }
}

/** The call's deadline passed (connect and total): the caller's own deadline (Slack's 3 s) matters more. */
export class AwsRequestTimedOut extends AwsRequestFailed {
  constructor(service: string, operation: string, timeoutMs: number, options?: ErrorOptions) {
    super(service, operation, 0, 'TimeoutError', `no answer within ${timeoutMs} ms`, options);
    this.name = 'AwsRequestTimedOut';
  }
}

/** SQS refuses a message body over its limit; the caller decides (store the body and queue a reference). */
export class MessageTooLarge extends AwsError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`SQS message body is ${bytes} bytes; SQS accepts at most ${limit} bytes: store the body elsewhere and queue a reference`);
    this.name = 'MessageTooLarge';
  }
}

/** A FIFO queue (name ending in .fifo) needs MessageGroupId on every message. */
export class MessageGroupRequired extends AwsError {
  constructor(queueUrl: string) {
    super(`${queueUrl} is a FIFO queue: SendMessage needs a groupId (MessageGroupId)`);
    this.name = 'MessageGroupRequired';
  }
}

/** SQS's MD5 of the body it stored differs from ours: the message was altered on the way (the SDK checks this too). */
export class MessageChecksumMismatch extends AwsError {
  constructor(readonly messageId: string) {
    super(`SQS stored message ${messageId} with an MD5 that differs from the body sent: the body was altered in transit`);
    this.name = 'MessageChecksumMismatch';
  }
}

/** GetParameters answered InvalidParameters: these names do not exist (or are not visible to this role). */
export class ParametersNotFound extends AwsError {
  constructor(
    readonly names: string[],
    region: string,
  ) {
    super(
      `SSM parameter${names.length > 1 ? 's' : ''} not found in ${region}: ${names.join(', ')}. Create ${names.length > 1 ? 'each' : 'it'} with ` +
        names.map((name) => `\`aws ssm put-parameter --region ${region} --type SecureString --name ${name} --value …\``).join(', '),
    );
    this.name = 'ParametersNotFound';
  }
}

/** Why GetParameters refused: the role's IAM policy, or KMS (the key of a SecureString). */
export type UnreadableReason = 'access-denied' | 'kms';

/**
 * GetParameters failed as a whole for these names: the role may not read them (`AccessDeniedException`),
 * or KMS would not decrypt them (`InvalidKeyId`, or an AccessDenied that AWS says came from KMS).
 */
export class ParametersUnreadable extends AwsError {
  constructor(
    readonly names: string[],
    readonly region: string,
    readonly reason: UnreadableReason,
    detail: string,
    options?: ErrorOptions,
  ) {
    // Short on purpose: the Slack ingress bundle carries it (README "Benchmark", ≤ 150 KB).
    const why = reason === 'kms' ? 'KMS refused to decrypt (set parametersKmsKeyArn to its key; is the key enabled?)' : "access denied (the role's grants: infra/aws/roles.yml)";
    super(`SSM parameter${names.length > 1 ? 's' : ''} ${names.join(', ')} in ${region} could not be read: ${why}. AWS said: ${detail}`, options);
    this.name = 'ParametersUnreadable';
  }
}
