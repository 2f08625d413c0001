/** One message to queue: the body is all a consumer gets; the rest steers delivery. */
export interface OutgoingMessage {
  body: string;
  /** FIFO queues: messages of one group are consumed one at a time, in order (e.g. one PR's deliveries). */
  groupId?: string;
  /** FIFO queues: a second message with this id within 5 minutes is accepted and dropped (SQS's window). */
  deduplicationId?: string;
}

/** Where an ingress route or a flow puts work for a consumer: SQS in AWS, in-process locally. */
export interface MessageQueue {
  send(message: OutgoingMessage): Promise<void>;
  /** Resolves once every message sent so far has been consumed or dead-lettered (in-process only; SQS: at once). */
  idle(): Promise<void>;
}

/** A message as its consumer sees it. */
export interface ReceivedMessage {
  messageId: string;
  body: string;
  /** 1 on the first delivery; SQS's ApproximateReceiveCount. */
  receiveCount: number;
}

/** A consumer: throws to have the message delivered again later, returns when it is done with it. */
export type Consume = (message: ReceivedMessage) => Promise<void>;
