/**
 * A local stand-in for an OpenAI-compatible Chat Completions API: `POST /v1/chat/completions`
 * answers with server-sent events (`data: {chunk}\n\n` … `data: [DONE]\n\n`) scripted by the
 * test, can destroy the socket in the middle of a stream or before answering, can keep a stream
 * open, and records whether the client went away before the answer ended (an aborted request).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. */
export type FakeReply =
  /** Streams `chunks` then `[DONE]`; with `destroyAfter`, destroys the socket after that many chunks. */
  | { kind: 'stream'; chunks: object[]; destroyAfter?: number }
  /** A plain HTTP error, with extra response headers (e.g. `retry-after-ms`). */
  | { kind: 'error'; status: number; message: string; headers?: Record<string, string> }
  /** Streams `chunks`, then keeps the response open until the client goes away. */
  | { kind: 'hang'; chunks: object[] }
  /** Answers nothing, not even the status line, and keeps the connection open. */
  | { kind: 'stall' }
  /** Destroys the connection without answering (a connection failure). */
  | { kind: 'drop' };

/** How an answer ended: written to its end, or cut off because the client went away. */
type RequestOutcome = 'finished' | 'aborted';

/** A request the fake received. */
export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    stream?: boolean;
    messages: {
      role: string;
      content?: string | null;
      tool_call_id?: string;
      tool_calls?: unknown[];
    }[];
    tools?: { type: string; function: { name: string } }[];
  };
  /**
   * Resolves once the exchange is over: `finished` when the whole answer was written, `aborted`
   * when the connection closed before (the client went away — the only way a `hang` reply
   * ends — or a `drop` or `destroyAfter` reply cut it).
   */
  outcome: Promise<RequestOutcome>;
}

/** A running fake. */
export interface FakeOpenAiServer {
  /** The base URL to give the SDK (`http://127.0.0.1:port/v1`). */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Resolves with the request at `index` (0-based) once it has arrived. */
  whenRequested(index: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/**
 * Starts the fake on 127.0.0.1, port 0.
 *
 * @param script the reply to the request at `index` (0-based)
 */
export async function startFakeOpenAiServer(
  script: (request: RecordedRequest, index: number) => FakeReply,
): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const waiters: { index: number; resolve: (request: RecordedRequest) => void }[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res
          .writeHead(404, { 'Content-Type': 'application/json' })
          .end('{"error":{"message":"not found"}}');
        return;
      }
      const recorded: RecordedRequest = {
        path: req.url,
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(parts).toString('utf8')) as RecordedRequest['body'],
        outcome: new Promise((resolve) => {
          res.once('close', () => resolve(res.writableFinished ? 'finished' : 'aborted'));
        }),
      };
      requests.push(recorded);
      for (const waiter of waiters.filter((w) => w.index === requests.length - 1)) {
        waiter.resolve(recorded);
      }
      answer(res, script(recorded, requests.length - 1));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    whenRequested: (index) => {
      const arrived = requests[index];
      if (arrived) return Promise.resolve(arrived);
      return new Promise((resolve) => waiters.push({ index, resolve }));
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: http.ServerResponse, reply: FakeReply): void {
  if (reply.kind === 'error') {
    res
      .writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers })
      .end(JSON.stringify({ error: { message: reply.message, type: 'server_error' } }));
    return;
  }
  if (reply.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  if (reply.kind === 'stall') return;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  if (reply.kind === 'hang') {
    for (const chunk of reply.chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    return;
  }
  reply.chunks.forEach((chunk, index) => {
    if (reply.destroyAfter !== undefined && index >= reply.destroyAfter) return;
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  });
  if (reply.destroyAfter !== undefined) {
    // Let the written chunks reach the client first, so the failure is truly mid-stream.
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  res.end('data: [DONE]\n\n');
}

function chunk(delta: object, finishReason: string | null = null): object {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'fake-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

/** Chunks streaming `pieces` as content, then a `stop`. */
export function contentChunks(pieces: string[]): object[] {
  return [
    chunk({ role: 'assistant', content: '' }),
    ...pieces.map((content) => chunk({ content })),
    chunk({}, 'stop'),
  ];
}

/** Chunks of one tool call whose JSON arguments arrive in `argumentPieces`, then `tool_calls`. */
export function toolCallChunks(id: string, name: string, argumentPieces: string[]): object[] {
  return [
    chunk({
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }],
    }),
    ...argumentPieces.map((piece) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }),
    ),
    chunk({}, 'tool_calls'),
  ];
}
