import {
  safeValidateWebSocketChatTransportRequest,
  type UIMessage,
  type WebSocketChatTransportAbortRequest,
  type WebSocketChatTransportResumeRequest,
  type WebSocketChatTransportSendRequest,
} from 'ai';

/** A request frame that passed `ai@7`'s own validation. */
export type TransportRequest =
  | WebSocketChatTransportSendRequest
  | WebSocketChatTransportResumeRequest
  | WebSocketChatTransportAbortRequest;

/** What {@link readTransportRequest} makes of a frame. */
export type ReadRequestResult =
  | { readonly ok: true; readonly request: TransportRequest }
  | {
      readonly ok: false;
      /** The frame's `requestId` when one could be read, so the `error` answer names it. */
      readonly requestId: string | undefined;
      readonly errorText: string;
    };

/**
 * Reads one client frame of the `WebSocketChatTransport` protocol (docs/interop.md#frames):
 * JSON, then `ai@7`'s `safeValidateWebSocketChatTransportRequest`. A frame that fails carries
 * the `requestId` it had, if any, so the server can answer `error` for that request.
 */
export async function readTransportRequest(text: string): Promise<ReadRequestResult> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, requestId: undefined, errorText: 'invalid_json: the frame is not JSON' };
  }
  const validated = await safeValidateWebSocketChatTransportRequest({ value });
  if (validated.success) return { ok: true, request: validated.data };
  return {
    ok: false,
    requestId: readableRequestId(value),
    errorText: `invalid_message: ${validated.error.message}`,
  };
}

/** The frame's `requestId` when it is a string (the transport's ids are). */
function readableRequestId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const requestId = (value as { requestId?: unknown }).requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}

/** Thread (chat) ids: 1 to 128 of `A-Z a-z 0-9 _ -` (docs/interop.md#frames). */
const CHAT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Whether `id` is a chat id the endpoint accepts as a thread id. */
export function isChatId(id: string): boolean {
  return CHAT_ID_PATTERN.test(id);
}

/** The run a `send` asks for, or why it cannot be started. */
export type ChatRequest =
  | { readonly ok: true; readonly threadId: string; readonly text: string; readonly agent: string }
  | { readonly ok: false; readonly errorText: string };

/** The agent when `body.agent` names none. */
export const DEFAULT_AGENT = 'assistant';

/**
 * What a `send` asks for (docs/interop.md#frames): its `id` is the user's thread, the text is
 * the concatenated `text` parts of the last `user` message, `body.agent` names the agent
 * (default `assistant`). `regenerate-message` asks for the same: the last user message again,
 * as a new run. Earlier messages are not read: the stored history is the truth about them.
 */
export function readChatRequest(request: WebSocketChatTransportSendRequest): ChatRequest {
  if (!isChatId(request.id)) {
    return {
      ok: false,
      errorText: 'invalid_message: the chat id must be 1 to 128 characters of A-Z a-z 0-9 _ -',
    };
  }
  const agent = (request.body as { agent?: unknown }).agent;
  if (agent !== undefined && (typeof agent !== 'string' || agent === '')) {
    return { ok: false, errorText: 'invalid_message: body.agent must be a non-empty string' };
  }
  const text = lastUserText(request.messages);
  if (text === undefined) {
    return { ok: false, errorText: 'invalid_message: there is no user message with text' };
  }
  return { ok: true, threadId: request.id, text, agent: agent ?? DEFAULT_AGENT };
}

/** The concatenated `text` parts of the last `user` message; undefined when it has none. */
function lastUserText(messages: readonly UIMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'user') continue;
    const text = message.parts
      .filter((part) => part.type === 'text')
      .map((part) => part.text)
      .join('');
    return text === '' ? undefined : text;
  }
  return undefined;
}
