import type { WebSocketChatTransportResponse } from 'ai';
import type { SequencedChunk } from './chunk-translator.js';

/**
 * The subprotocol of the AI SDK endpoint: a browser that puts its credential in a
 * `bearer.<JWT>` subprotocol offers this one with it, and the server selects it (never the
 * credential), docs/interop.md#connecting.
 */
export const AI_SDK_SUBPROTOCOL = 'ai-sdk';

function text(frame: WebSocketChatTransportResponse): string {
  return JSON.stringify(frame);
}

/** The server's frames of the `WebSocketChatTransport` protocol, as wire text. */
export const transportResponse = {
  /** A request's answer begins (a `resume` that found a run). */
  start: (requestId: string): string => text({ type: 'start', requestId }),
  /** One UI message chunk of the request's run, with its number within the run. */
  chunk: (requestId: string, { sequence, chunk }: SequencedChunk): string =>
    text({ type: 'chunk', requestId, sequence, chunk }),
  /** The request's answer is complete (after the run's terminal chunk). */
  end: (requestId: string): string => text({ type: 'end', requestId }),
  /** The request failed; `errorText` starts with a code (`invalid_message: …`). */
  error: (requestId: string, errorText: string): string =>
    text({ type: 'error', requestId, errorText }),
  /** A `resume` found no run in flight or recently ended for that chat. */
  noActive: (requestId: string): string => text({ type: 'no-active', requestId }),
} as const;
