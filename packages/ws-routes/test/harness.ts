/**
 * A real endpoint for the tests: an http.Server on 127.0.0.1 (port 0), a hub from
 * `createWebSocketHub` with a scripted agent, the routes attached, and a `ws` client that records
 * every frame it receives.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  createWebSocketHub,
  type Agent,
  type HubOptions,
  type TicketStore,
  type WebSocketHub,
} from '@app/ws-core';
import { SignJWT } from 'jose';
import { Registry } from 'prom-client';
import { afterEach } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import {
  attachWebSocketRoutes,
  createInMemoryTicketStore,
  createTokenVerifier,
  type VerifiedToken,
  type WebSocketRoutes,
  type WebSocketRoutesOptions,
} from '../src/index.js';

export const SECRET = 'ws-routes-test-secret-0123456789abcdef';
const SECRET_KEY = new TextEncoder().encode(SECRET);

/** A frame as the client received it. */
export type Frame = { type: string; [key: string]: unknown };

/** Signs a test JWT (HS256, 5 minutes unless `expSec` says otherwise). */
export async function signToken(
  sub: string,
  options: { expSec?: number; aud?: string; iss?: string } = {},
): Promise<string> {
  let jwt = new SignJWT(options.aud === undefined ? {} : { aud: options.aud })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(options.expSec ?? Math.floor(Date.now() / 1000) + 300);
  if (options.iss !== undefined) jwt = jwt.setIssuer(options.iss);
  return jwt.sign(SECRET_KEY);
}

/**
 * The scripted agent `scripted`: by default thinking, one `echo` tool call, a delta and a
 * response; `wait…` thinks and then waits to be cancelled; `flood N` emits N deltas of 60 KB.
 */
function scriptedAgent(): Agent {
  return {
    name: 'scripted',
    description: 'a deterministic agent for the tests',
    async run({ input, emitter, signal }) {
      if (input.startsWith('wait')) {
        await emitter.thinking('waiting to be cancelled');
        await new Promise<void>((resolve) => {
          if (signal.aborted) resolve();
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        return;
      }
      if (input.startsWith('flood')) {
        const chunk = 'x'.repeat(60_000);
        const count = Number(input.split(' ')[1] ?? '100');
        for (let i = 0; i < count && !signal.aborted; i += 1) await emitter.delta(chunk);
        return { response: 'flooded' };
      }
      await emitter.thinking(`thinking about ${input}`);
      const toolCallId = await emitter.toolExecuting({ toolName: 'echo', args: { text: input } });
      await emitter.toolCompleted({ toolCallId, ok: true, result: input });
      await emitter.delta('echo: ');
      return { response: `echo: ${input}` };
    },
  };
}

/** A running endpoint. */
export interface TestServer {
  readonly server: Server;
  readonly hub: WebSocketHub;
  readonly routes: WebSocketRoutes;
  readonly tickets: TicketStore<VerifiedToken>;
  readonly registry: Registry;
  readonly port: number;
  /** `ws://127.0.0.1:<port><path>` */
  url(path?: string): string;
  close(): Promise<void>;
}

/** Options of {@link startTestServer}: the routes' options (hub and auth are filled in) and the hub's. */
export interface TestServerOptions extends Partial<Omit<WebSocketRoutesOptions, 'hub'>> {
  hubOptions?: HubOptions;
}

/** Starts an endpoint with short timers, as the tests need them. */
async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { hubOptions, ...routeOptions } = options;
  const registry = new Registry();
  const hub = createWebSocketHub({
    serverId: 'test-node',
    agents: [scriptedAgent()],
    metricsRegistry: registry,
    ...hubOptions,
  });
  const tickets = routeOptions.tickets ?? createInMemoryTicketStore();
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const routes = attachWebSocketRoutes(server, {
    hub,
    auth: createTokenVerifier({ secret: SECRET }),
    heartbeatMs: 5_000,
    closeTimeoutMs: 300,
    metricsRegistry: registry,
    ...routeOptions,
    tickets,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    hub,
    routes,
    tickets,
    registry,
    port,
    url: (path = '/ws') => `ws://127.0.0.1:${port}${path}`,
    async close() {
      await routes.close(200);
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Registers an `afterEach` that closes the server its test started, and returns `start`, which
 * starts one with {@link startTestServer} (one per test).
 */
export function useTestServer(): (options?: TestServerOptions) => Promise<TestServer> {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (options = {}) => {
    server = await startTestServer(options);
    return server;
  };
}

/** A `ws` client that records frames, with `next()` to wait for the next matching one. */
export class TestClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  /** Resolves with the close code and reason the client saw. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #taken = new Set<number>();
  #wake: (() => void) | undefined;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      if (!isBinary && Buffer.isBuffer(data))
        this.frames.push(JSON.parse(data.toString('utf8')) as Frame);
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.#wake?.();
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on('error', () => {});
  }

  /** Opens a connection; rejects with the HTTP status when the upgrade is refused. */
  static open(
    url: string,
    options: ClientOptions & { protocols?: string[] } = {},
  ): Promise<TestClient> {
    const { protocols, ...clientOptions } = options;
    const ws = new WebSocket(url, protocols ?? [], clientOptions);
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`upgrade refused with ${res.statusCode}`));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  /** Opens a v1 connection authenticated with the Authorization header and waits for `welcome`. */
  static async as(server: TestServer, userId: string, path = '/ws'): Promise<TestClient> {
    const client = await TestClient.open(server.url(path), {
      headers: { authorization: `Bearer ${await signToken(userId)}` },
      protocols: ['chat.v1'],
    });
    if (!path.includes('legacy') && path !== '/websocket') await client.next('welcome');
    return client;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * The first frame not returned before that has `type` (and passes `match`), waiting for it.
   * Frames are matched independently: waiting for an `ack` does not skip the events before it.
   */
  async next(
    type?: string,
    match: (frame: Frame) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = 0; i < this.frames.length; i += 1) {
        const frame = this.frames[i]!;
        if (this.#taken.has(i)) continue;
        if ((type === undefined || frame.type === type) && match(frame)) {
          this.#taken.add(i);
          return frame;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) {
        throw new Error(
          `no ${type ?? 'frame'} within ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => f.type))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Every frame of one run, through its `agent_completed`. */
  async run(runId: string): Promise<Frame[]> {
    const events: Frame[] = [];
    for (;;) {
      const frame = await this.next(undefined, (f) => f.runId === runId);
      events.push(frame);
      if (frame.type === 'agent_completed') return events;
    }
  }

  /** The client's TCP socket, to stop reading from it. */
  get rawSocket(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  close(): void {
    this.ws.close();
  }
}

/** The answer to a raw upgrade request: the status a refused client sees, or 101. */
export function upgradeResponse(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits until `condition` holds (polling), or fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The value of one series of a metric in the registry (0 when absent). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const { values } = await metric.get();
  const series = values.find((value) =>
    Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected),
  );
  return series?.value ?? 0;
}
