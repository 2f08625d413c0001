import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsJsonRequest, AwsRequestFailed, AwsRequestTimedOut, type AwsCallOptions } from '../../lib/adapters/aws';
import { startFakeSqs, FAKE_AWS_KEY, type FakeSqs } from '../fakes/sqs';

const sendMessage = (options: AwsCallOptions, queueUrl: string) =>
  awsJsonRequest({ ...options, service: 'sqs', target: 'AmazonSQS.SendMessage', contentType: 'application/x-amz-json-1.0', body: { QueueUrl: queueUrl, MessageBody: 'hello' } });

describe('awsJsonRequest', () => {
  let sqs: FakeSqs;
  let options: AwsCallOptions;

  beforeAll(async () => {
    sqs = await startFakeSqs();
  });
  afterAll(() => sqs.stop());
  beforeEach(() => {
    sqs.requests.length = 0;
    options = { region: 'eu-west-1', credentials: FAKE_AWS_KEY, endpoint: sqs.url, retryDelayMs: 1 };
  });

  it('signs requests the fake accepts after recomputing the signature', async () => {
    // Act
    const answer = await sendMessage(options, sqs.queueUrl);

    // Assess
    expect(answer).toMatchObject({ MessageId: expect.any(String) });
    expect(sqs.requests).toEqual([expect.objectContaining({ target: 'AmazonSQS.SendMessage', status: 200, accessKeyId: FAKE_AWS_KEY.accessKeyId })]);
  });

  it.each([
    ['a wrong secret', { ...FAKE_AWS_KEY, secretAccessKey: 'not-the-secret-key' }, 'SignatureDoesNotMatch'],
    ['a wrong session token', { ...FAKE_AWS_KEY, sessionToken: 'another-session' }, 'UnrecognizedClientException'],
    ['an unknown key', { ...FAKE_AWS_KEY, accessKeyId: 'AKIAUNKNOWN' }, 'UnrecognizedClientException'],
  ])('is refused with 403 when signed with %s, and not retried', async (_case, credentials, code) => {
    // Act
    const sending = sendMessage({ ...options, credentials }, sqs.queueUrl);

    // Assess
    await expect(sending).rejects.toMatchObject({ name: 'AwsRequestFailed', service: 'sqs', operation: 'SendMessage', status: 403, code });
    expect(sqs.requests).toHaveLength(1);
  });

  it('is refused when signed for another region’s scope by a fake that checks the service', async () => {
    // Prepare: signed as ssm, sent to the SQS fake
    const sending = awsJsonRequest({ ...options, service: 'ssm', target: 'AmazonSQS.SendMessage', contentType: 'application/x-amz-json-1.0', body: {} });

    // Assess
    await expect(sending).rejects.toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('never puts a credential in an error, even when AWS quotes the signed headers back', async () => {
    // Prepare: the fake's SignatureDoesNotMatch message quotes x-amz-security-token, as AWS's does
    const credentials = { ...FAKE_AWS_KEY, secretAccessKey: 'wrong-secret-value-1234' };

    // Act
    const error = await sendMessage({ ...options, credentials }, sqs.queueUrl).catch((err: unknown) => err);

    // Assess
    expect(error).toBeInstanceOf(AwsRequestFailed);
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
    expect(text).toContain('[redacted]');
    for (const secret of [credentials.secretAccessKey, credentials.sessionToken, credentials.accessKeyId]) expect(text).not.toContain(secret);
  });

  it.each([500, 503])('retries a %i once and succeeds', async (status) => {
    // Prepare
    sqs.failNext([status]);

    // Act
    await sendMessage(options, sqs.queueUrl);

    // Assess
    expect(sqs.requests.map((r) => r.status)).toEqual([status, 200]);
  });

  it('retries a throttling code although it comes as a 400', async () => {
    sqs.failNext([{ status: 400, code: 'RequestThrottled' }]);
    await sendMessage(options, sqs.queueUrl);
    expect(sqs.requests.map((r) => r.status)).toEqual([400, 200]);
  });

  it('gives up after one retry, with the service, operation, status and code', async () => {
    // Prepare
    sqs.failNext([503, 503]);

    // Act
    const sending = sendMessage(options, sqs.queueUrl);

    // Assess
    await expect(sending).rejects.toMatchObject({ service: 'sqs', operation: 'SendMessage', status: 503, code: 'ServiceUnavailable' });
    expect(sqs.requests).toHaveLength(2);
  });

  it('never retries a 4xx', async () => {
    // Act
    const sending = sendMessage(options, `${sqs.url}/123456789012/fluxline-jobs.fifo`);

    // Assess: a FIFO queue without MessageGroupId is the request's fault
    await expect(sending).rejects.toMatchObject({ status: 400, code: 'MissingParameter', message: expect.stringContaining('MessageGroupId') });
    expect(sqs.requests).toHaveLength(1);
  });

  it('retries a dropped connection once', async () => {
    sqs.failNext(['reset']);
    await sendMessage(options, sqs.queueUrl);
    expect(sqs.requests).toHaveLength(2);
  });

  it('reports a network error with code NetworkError when the retry fails too', async () => {
    // Prepare
    sqs.failNext(['reset', 'reset']);

    // Act
    const sending = sendMessage(options, sqs.queueUrl);

    // Assess
    await expect(sending).rejects.toMatchObject({ name: 'AwsRequestFailed', status: 0, code: 'NetworkError' });
  });

  it('ends a call that gets no answer at its deadline, without retrying', async () => {
    // Prepare
    sqs.failNext(['hang']);

    // Act
    const sending = sendMessage({ ...options, timeoutMs: 200 }, sqs.queueUrl);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(AwsRequestTimedOut);
    await expect(sending).rejects.toMatchObject({ code: 'TimeoutError', message: expect.stringContaining('200 ms') });
    expect(sqs.requests).toHaveLength(1);
  });
});
