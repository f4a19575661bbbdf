import type { Logger } from '@app/logging-ssot';
import {
  followRun,
  wireErrorOf,
  type RunFeed,
  type RunSelector,
  type StreamEngine,
  type WebSocketManager,
} from '@app/ws-core';
import {
  isChatId,
  readChatRequest,
  readTransportRequest,
  transportResponse,
  UIMessageChunkTranslator,
  type TransportRequest,
} from '@app/ws-ai-sdk';
import type { RawData } from 'ws';
import { rawText } from './raw-text.js';

/** What the AI SDK requests of one socket act on. */
export interface AiSdkTarget {
  readonly userId: string;
  readonly manager: Pick<WebSocketManager, 'chat' | 'cancelRun'>;
  readonly engine: StreamEngine;
  readonly logger: Logger;
  /** Writes one frame to the socket (the connection's outbound bound applies). */
  send(text: string): void;
}

/** A request of the socket whose answer is streaming: the run it follows. */
interface ActiveRequest {
  readonly runId: string;
  readonly feed: RunFeed;
}

/** Chunks of a request that resumes after `lastSequence`; -1 sends them all. */
const FROM_START = -1;

/**
 * The AI SDK `WebSocketChatTransport` requests of one socket (docs/interop.md#frames):
 * `send` starts a run through the user's manager — an ordinary run, as a `/ws` `chat` — and
 * streams it; `resume` streams the chat's run in flight or recently ended after `lastSequence`,
 * or answers `no-active`; `abort` cancels the run a request streams, on whichever node runs it.
 * A stream is `start`, the run's chunks (numbered by the pure translation of
 * `@app/ws-ai-sdk`, so every node numbers alike), then `end` after its terminal chunk. Closing
 * the socket stops the streams, not the runs.
 */
export class AiSdkRequests {
  readonly #target: AiSdkTarget;
  readonly #active = new Map<string, ActiveRequest>();
  #closed = false;

  constructor(target: AiSdkTarget) {
    this.#target = target;
  }

  /**
   * Answers one inbound frame. Resolves false when the frame was invalid (the caller counts it
   * against the invalid-frame limit), after answering `error`.
   */
  async handle(data: RawData, isBinary: boolean): Promise<boolean> {
    if (isBinary) {
      this.#error(undefined, 'invalid_message: frames are JSON text');
      return false;
    }
    const read = await readTransportRequest(rawText(data));
    if (!read.ok) {
      this.#error(read.requestId, read.errorText);
      return false;
    }
    await this.#dispatch(read.request);
    return true;
  }

  /** Refuses a frame without reading it further (rate limit): `error` naming its request. */
  refuse(data: RawData, errorText: string): void {
    this.#error(requestIdOf(data), errorText);
  }

  /** The socket closed: the streams stop, the runs go on (a `resume` picks them up). */
  close(): void {
    this.#closed = true;
    for (const request of this.#active.values()) void request.feed.close();
    this.#active.clear();
  }

  async #dispatch(request: TransportRequest): Promise<void> {
    if (request.type === 'abort') {
      await this.#abort(request.requestId);
      return;
    }
    if (this.#active.has(request.requestId)) {
      this.#error(request.requestId, 'invalid_message: this requestId is already streaming');
      return;
    }
    if (request.type === 'resume') {
      if (!isChatId(request.id)) {
        this.#error(
          request.requestId,
          'invalid_message: the chat id must be 1 to 128 characters of A-Z a-z 0-9 _ -',
        );
        return;
      }
      await this.#stream(request.requestId, { threadId: request.id }, request.lastSequence);
      return;
    }
    const chat = readChatRequest(request);
    if (!chat.ok) {
      this.#error(request.requestId, chat.errorText);
      return;
    }
    let runId: string;
    try {
      // Keyed by the request id: a request sent again within the idempotency window (protocol
      // section 5) gets the same run, not a second one.
      ({ runId } = await this.#target.manager.chat({
        text: chat.text,
        threadId: chat.threadId,
        agent: chat.agent,
        clientMessageId: `ai-sdk:${request.requestId}`,
      }));
    } catch (error) {
      const wire = wireErrorOf(error);
      if (wire === undefined) this.#target.logger.error('AI SDK send failed', { error });
      this.#error(
        request.requestId,
        wire === undefined
          ? 'internal: the run could not be started'
          : `${wire.code}: ${wire.message}`,
      );
      return;
    }
    await this.#stream(request.requestId, { runId }, undefined);
  }

  /** `start`, the run's chunks after `lastSequence`, live until the terminal one, then `end`. */
  async #stream(
    requestId: string,
    selector: RunSelector,
    lastSequence: number | undefined,
  ): Promise<void> {
    let found;
    try {
      found = await followRun(this.#target.engine, this.#target.userId, selector);
    } catch (error) {
      this.#target.logger.warn('AI SDK stream could not be read', { error });
      this.#error(requestId, 'unavailable: the stream cannot be read right now');
      return;
    }
    if (!found.ok) {
      if ('threadId' in selector) this.#send(transportResponse.noActive(requestId));
      else this.#error(requestId, 'unavailable: the run is no longer retained');
      return;
    }
    const { feed } = found;
    if (this.#closed) {
      void feed.close();
      return;
    }
    this.#active.set(requestId, { runId: feed.runId, feed });
    this.#send(transportResponse.start(requestId));
    const after = lastSequence ?? FROM_START;
    const translator = new UIMessageChunkTranslator();
    feed.start({
      onEvent: (event) => {
        for (const chunk of translator.push(event)) {
          if (chunk.sequence > after) this.#send(transportResponse.chunk(requestId, chunk));
        }
      },
      onEnd: (reason) => {
        this.#active.delete(requestId);
        this.#send(
          reason === 'completed'
            ? transportResponse.end(requestId)
            : transportResponse.error(requestId, 'unavailable: the stream was reset'),
        );
      },
    });
  }

  /** Cancels the run `requestId` streams; its stream then ends with `abort` and `end`. */
  async #abort(requestId: string): Promise<void> {
    const request = this.#active.get(requestId);
    if (request === undefined) {
      this.#error(requestId, 'not_found: no request of this socket streams under this id');
      return;
    }
    try {
      await this.#target.manager.cancelRun(request.runId);
    } catch (error) {
      this.#target.logger.warn('AI SDK abort failed', { error });
      this.#error(requestId, 'unavailable: the run cannot be cancelled right now');
    }
  }

  #error(requestId: string | undefined, errorText: string): void {
    // Without a readable requestId the answer names none (the transport never sends such frames).
    this.#send(
      requestId === undefined
        ? JSON.stringify({ type: 'error', errorText })
        : transportResponse.error(requestId, errorText),
    );
  }

  #send(text: string): void {
    if (!this.#closed) this.#target.send(text);
  }
}

/** The `requestId` of a frame, when it is JSON with a string one. */
function requestIdOf(data: RawData): string | undefined {
  try {
    const value: unknown = JSON.parse(rawText(data));
    const requestId = (value as { requestId?: unknown } | null)?.requestId;
    return typeof requestId === 'string' ? requestId : undefined;
  } catch {
    return undefined;
  }
}
