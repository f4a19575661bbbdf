/**
 * Reading AG-UI Server-Sent Events responses in tests: each message as its `id` and its event,
 * optionally stopping (and dropping the connection) after a number of messages.
 */

/** One SSE message of an AG-UI response. */
export interface SseMessage {
  readonly id: number;
  readonly event: { type: string } & Record<string, unknown>;
}

/** What was read from a response. */
export interface SseRead {
  readonly messages: SseMessage[];
  /** Keep-alive comments seen. */
  readonly comments: number;
  /** The whole text as received (what was read of it). */
  readonly text: string;
}

/**
 * Reads SSE messages from a response body: all of them (to its end), or only the first
 * `limit`, after which the reader is cancelled and `abort` (the request's) is called — a client
 * that goes away mid-run.
 */
export async function readSse(
  response: Response,
  options: { limit?: number; abort?: () => void } = {},
): Promise<SseRead> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let comments = 0;
  let buffer = '';
  let text = '';
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  while (messages.length < limit) {
    const { value, done } = await reader.read();
    if (done) break;
    const chunk = decoder.decode(value, { stream: true });
    text += chunk;
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0 && messages.length < limit) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(':')) {
        comments++;
        continue;
      }
      const lines = block.split('\n');
      const id = lines.find((line) => line.startsWith('id: '));
      const data = lines.find((line) => line.startsWith('data: '));
      if (id === undefined || data === undefined || lines.length !== 2) {
        throw new Error(`not an AG-UI SSE message: ${JSON.stringify(block)}`);
      }
      messages.push({
        id: Number(id.slice(4)),
        event: JSON.parse(data.slice(6)) as SseMessage['event'],
      });
    }
  }
  if (messages.length >= limit) {
    await reader.cancel().catch(() => undefined);
    options.abort?.();
  }
  return { messages, comments, text };
}

/** A `RunAgentInput` for one user message. */
export function runAgentInput(
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    threadId: `t_agui_${Math.random().toString(36).slice(2, 10)}`,
    runId: crypto.randomUUID(),
    messages: [{ id: crypto.randomUUID(), role: 'user', content: text }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
    ...extra,
  };
}

/** `POST /ag-ui` with a bearer token (none when `token` is undefined). */
export function postAgUi(
  url: string,
  token: string | undefined,
  body: unknown,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${url}/ag-ui`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}
