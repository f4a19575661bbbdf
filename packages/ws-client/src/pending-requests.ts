import type { AckFrame, CancelMessage, ChatMessage, ErrorFrame, MessageId } from '@app/ws-protocol';
import { ChatClientError } from './errors.js';

/** A client message that resolves on its `ack`: `chat` and `cancel` (always with an `id`). */
export type RequestMessage = (ChatMessage | CancelMessage) & { id: MessageId };

interface PendingRequest {
  readonly message: RequestMessage;
  readonly promise: Promise<AckFrame>;
  resolve(ack: AckFrame): void;
  reject(error: ChatClientError): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Client messages waiting for their `ack` or `error`, keyed by `id`. They outlive connections: on
 * every new connection the client sends them all again with the same `id` (the server's chat
 * idempotency makes that safe), until each settles or its timeout passes.
 */
export class PendingRequests {
  readonly #pending = new Map<MessageId, PendingRequest>();
  readonly #send: (message: RequestMessage) => void;

  /** @param send sends a message when a connection is open; does nothing otherwise */
  constructor(send: (message: RequestMessage) => void) {
    this.#send = send;
  }

  /** How many requests wait. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Registers `message` and sends it now if a connection is open. A message whose `id` is already
   * pending is not sent twice: the caller gets the same promise.
   *
   * @param timeoutMs rejects with `request_timeout` after this long, counted from now
   */
  add(message: RequestMessage, timeoutMs: number): Promise<AckFrame> {
    const existing = this.#pending.get(message.id);
    if (existing) return existing.promise;
    let resolve!: (ack: AckFrame) => void;
    let reject!: (error: ChatClientError) => void;
    const promise = new Promise<AckFrame>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const timer = setTimeout(() => {
      this.#settle(message.id)?.reject(
        new ChatClientError(
          'request_timeout',
          `No answer to ${message.type} ${String(message.id)} within ${timeoutMs} ms`,
          { ref: message.id },
        ),
      );
    }, timeoutMs);
    this.#pending.set(message.id, { message, promise, resolve, reject, timer });
    this.#send(message);
    return promise;
  }

  /** Settles the request an `ack` answers; false when none waits for it. */
  ack(frame: AckFrame): boolean {
    const request = this.#settle(frame.ref);
    request?.resolve(frame);
    return request !== undefined;
  }

  /** Rejects the request an `error` frame answers, with the wire code; false when none waits for it. */
  fail(frame: ErrorFrame): boolean {
    if (frame.ref === undefined) return false;
    const request = this.#settle(frame.ref);
    request?.reject(
      new ChatClientError(frame.code, frame.message, {
        ref: frame.ref,
        ...(frame.retryAfterMs === undefined ? {} : { retryAfterMs: frame.retryAfterMs }),
      }),
    );
    return request !== undefined;
  }

  /** Sends every pending message again, oldest first (a new connection is open). */
  resendAll(): void {
    for (const request of this.#pending.values()) this.#send(request.message);
  }

  /** Rejects every pending request with `error` (the client stopped). */
  rejectAll(error: ChatClientError): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id)?.reject(error);
  }

  #settle(id: MessageId): PendingRequest | undefined {
    const request = this.#pending.get(id);
    if (!request) return undefined;
    clearTimeout(request.timer);
    this.#pending.delete(id);
    return request;
  }
}
