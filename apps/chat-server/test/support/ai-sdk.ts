/**
 * The real `ai@7` client against a test server: `WebSocketChatTransport` with `ws` as its
 * WebSocket, and `readUIMessageStream` to build the UIMessage a `useChat` would show.
 */
import {
  readUIMessageStream,
  WebSocketChatTransport,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import WebSocket from 'ws';

/** A transport on `<url>/ai-sdk/ws` that authenticates as a browser would: `bearer.<JWT>` offered with `ai-sdk`. */
export function aiSdkTransport(url: string, token: string): WebSocketChatTransport<UIMessage> {
  return new WebSocketChatTransport<UIMessage>({
    url: `${url}/ai-sdk/ws`,
    protocols: ['ai-sdk', `bearer.${token}`],
    // ws' WebSocket has the browser API the transport uses (onopen, onmessage, send, close).
    webSocket: WebSocket as unknown as ConstructorParameters<
      typeof WebSocketChatTransport
    >[0]['webSocket'],
  });
}

/** A user message as `useChat` sends it. */
function userMessage(text: string, id = `u_${Math.random().toString(36).slice(2)}`): UIMessage {
  return { id, role: 'user', parts: [{ type: 'text', text }] };
}

/** `sendMessages` as `useChat` calls it for a new message. */
export function send(
  transport: WebSocketChatTransport<UIMessage>,
  chatId: string,
  text: string,
  options: { abortSignal?: AbortSignal; body?: object } = {},
): Promise<ReadableStream<UIMessageChunk>> {
  return transport.sendMessages({
    trigger: 'submit-message',
    chatId,
    messageId: undefined,
    messages: [userMessage(text)],
    abortSignal: options.abortSignal,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

/** The final UIMessage of a stream of chunks, as `readUIMessageStream` builds it. */
export async function finalMessage(stream: ReadableStream<UIMessageChunk>): Promise<UIMessage> {
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream, terminateOnError: true })) {
    last = message;
  }
  if (last === undefined) throw new Error('the stream made no message');
  return last;
}

/** Reads `count` chunks, then leaves the stream unread (the transport keeps the request). */
export async function readChunks(
  stream: ReadableStream<UIMessageChunk>,
  count: number,
): Promise<UIMessageChunk[]> {
  const reader = stream.getReader();
  const chunks: UIMessageChunk[] = [];
  while (chunks.length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  reader.releaseLock();
  return chunks;
}
