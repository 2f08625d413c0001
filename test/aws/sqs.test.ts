import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changeMessageVisibility, MessageChecksumMismatch, MessageGroupRequired, MessageTooLarge, MissingAwsCredentials, sendSqsMessage, SQS_MAX_MESSAGE_BYTES, sqsSender, type AwsCallOptions } from '../../lib/adapters/aws';
import { fakeAwsEnv, FAKE_AWS_KEY, startFakeSqs, type FakeSqs } from '../fakes/sqs';

describe('SQS over the lean client', () => {
  let sqs: FakeSqs;
  let clock: number;
  let options: AwsCallOptions;

  beforeAll(async () => {
    sqs = await startFakeSqs({ now: () => clock });
  });
  afterAll(() => sqs.stop());
  beforeEach(() => {
    clock = Date.now();
    sqs.requests.length = 0;
    options = { region: 'eu-west-1', credentials: FAKE_AWS_KEY, endpoint: sqs.url, retryDelayMs: 1 };
  });

  describe('sendSqsMessage', () => {
    it('queues the body and answers with the message id', async () => {
      // Act
      const sent = await sendSqsMessage(options, { queueUrl: sqs.queueUrl, body: '{"jobId":"j-1"}' });

      // Assess
      expect(sqs.messages.at(-1)).toMatchObject({ messageId: sent.messageId, queueUrl: sqs.queueUrl, body: '{"jobId":"j-1"}' });
      expect(sqs.sent.at(-1)).toEqual({ queueUrl: sqs.queueUrl, body: '{"jobId":"j-1"}' });
    });

    it('sends a body of exactly 262,144 bytes (multi-byte characters counted as bytes)', async () => {
      // Prepare: 'é' is two bytes in UTF-8
      const body = 'é'.repeat(SQS_MAX_MESSAGE_BYTES / 2);

      // Act
      await sendSqsMessage(options, { queueUrl: sqs.queueUrl, body });

      // Assess
      expect(sqs.sent.at(-1)?.body).toBe(body);
    });

    it('refuses a body over SQS’s limit before sending anything', async () => {
      // Prepare
      const body = `${'é'.repeat(SQS_MAX_MESSAGE_BYTES / 2)}x`;

      // Act
      const sending = sendSqsMessage(options, { queueUrl: sqs.queueUrl, body });

      // Assess
      await expect(sending).rejects.toBeInstanceOf(MessageTooLarge);
      await expect(sending).rejects.toMatchObject({ bytes: SQS_MAX_MESSAGE_BYTES + 1, limit: SQS_MAX_MESSAGE_BYTES });
      expect(sqs.requests).toHaveLength(0);
    });

    it('refuses a FIFO message without a group before sending anything', async () => {
      await expect(sendSqsMessage(options, { queueUrl: sqs.fifoQueueUrl, body: 'x', deduplicationId: 'd' })).rejects.toBeInstanceOf(MessageGroupRequired);
      expect(sqs.requests).toHaveLength(0);
    });

    it('keeps one FIFO message per deduplication id within 5 minutes, as SQS does', async () => {
      // Prepare
      const message = { queueUrl: sqs.fifoQueueUrl, body: '{"delivery":"d-1"}', groupId: 'acme/fleet#42', deduplicationId: 'delivery-d-1' };
      const before = sqs.sent.length;

      // Act
      const first = await sendSqsMessage(options, message);
      clock += 4 * 60 * 1000;
      const repeat = await sendSqsMessage(options, message);
      clock += 2 * 60 * 1000;
      const later = await sendSqsMessage(options, message);

      // Assess
      expect(repeat).toEqual(first);
      expect(first.sequenceNumber).toEqual(expect.any(String));
      expect(later.messageId).not.toBe(first.messageId);
      expect(sqs.sent.length - before).toBe(2);
      expect(sqs.messages.at(-1)).toMatchObject({ groupId: 'acme/fleet#42', deduplicationId: 'delivery-d-1' });
    });

    it('passes the SQS refusal of a FIFO message without a deduplication id through as a 400', async () => {
      await expect(sendSqsMessage(options, { queueUrl: sqs.fifoQueueUrl, body: 'x', groupId: 'g' })).rejects.toMatchObject({ status: 400, code: 'InvalidParameterValue' });
    });

    it('sends DelaySeconds to a standard queue', async () => {
      await sendSqsMessage(options, { queueUrl: sqs.queueUrl, body: 'later', delaySeconds: 30 });
      expect(sqs.messages.at(-1)).toMatchObject({ body: 'later', delaySeconds: 30 });
    });
  });

  describe('changeMessageVisibility', () => {
    it('sets the visibility timeout of a received message', async () => {
      // Prepare
      await sendSqsMessage(options, { queueUrl: sqs.queueUrl, body: 'retry me' });
      const message = sqs.messages.at(-1);

      // Act
      await changeMessageVisibility(options, { queueUrl: sqs.queueUrl, receiptHandle: message?.receiptHandle ?? '', visibilityTimeoutSeconds: 120 });

      // Assess
      expect(message?.visibilityTimeoutSeconds).toBe(120);
    });

    it.each([
      ['an unknown receipt handle', 'rh-unknown', 60, 'ReceiptHandleIsInvalid'],
      ['a timeout over 12 hours', undefined, 43_201, 'InvalidParameterValue'],
    ])('fails on %s with the SQS code, without retrying', async (_case, handle, seconds, code) => {
      // Prepare
      await sendSqsMessage(options, { queueUrl: sqs.queueUrl, body: 'x' });
      sqs.requests.length = 0;

      // Act
      const changing = changeMessageVisibility(options, { queueUrl: sqs.queueUrl, receiptHandle: handle ?? sqs.messages.at(-1)?.receiptHandle ?? '', visibilityTimeoutSeconds: seconds });

      // Assess
      await expect(changing).rejects.toMatchObject({ operation: 'ChangeMessageVisibility', status: 400, code });
      expect(sqs.requests).toHaveLength(1);
    });
  });

  describe('sqsSender', () => {
    it('sends to its queue with the credentials and endpoint of the environment', async () => {
      // Prepare
      const sender = sqsSender({ queueUrl: sqs.queueUrl, env: fakeAwsEnv({ sqs: sqs.url }) });

      // Act
      const sent = await sender.send('{"jobId":"j-2"}');

      // Assess
      expect(sqs.messages.at(-1)).toMatchObject({ messageId: sent.messageId, body: '{"jobId":"j-2"}', queueUrl: sqs.queueUrl });
    });

    it('rejects (not throws) with the missing variable’s name', async () => {
      const sender = sqsSender({ queueUrl: sqs.queueUrl, env: { AWS_REGION: 'eu-west-1' } });
      await expect(sender.send('x')).rejects.toThrow(MissingAwsCredentials);
      await expect(sender.send('x')).rejects.toThrow(/AWS_ACCESS_KEY_ID/);
    });
  });
});

describe('SendMessage answer checks', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // Answers every request as SQS would, but with the digest of another body: a body altered in transit.
    server = createServer((req, res) => {
      req.resume().on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ MessageId: 'm-1', MD5OfMessageBody: createHash('md5').update('another body').digest('hex') }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fails when the MD5 SQS computed differs from the body sent, as the SDK does', async () => {
    const sending = sendSqsMessage({ region: 'eu-west-1', credentials: FAKE_AWS_KEY, endpoint: url }, { queueUrl: `${url}/1/q`, body: 'the body' });
    await expect(sending).rejects.toBeInstanceOf(MessageChecksumMismatch);
  });
});
