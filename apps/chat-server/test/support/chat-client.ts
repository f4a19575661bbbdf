/** A real `ws` client that records every frame, for integration tests. */
import WebSocket from 'ws';

/** A parsed server frame (control frame or event). */
export interface Frame {
  type: string;
  seq?: number;
  runId?: string;
  threadId?: string;
  payload?: Record<string, unknown>;
  [key: string]: unknown;
}

/** How long a wait for a frame lasts: a guard against a hang, not a latency bound. */
const WAIT_MS = 20_000;

/** One connection and everything it received. */
export class ChatClient {
  readonly frames: Frame[] = [];
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: WebSocket.RawData) => {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.frames.push(JSON.parse(text) as Frame);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code: number, reason: Buffer) => {
        resolve({ code, reason: reason.toString('utf8') });
        for (const wake of this.waiters) wake();
      });
    });
  }

  /**
   * Opens `/ws` with the subprotocols `chat.v1` and `bearer.<token>`.
   *
   * @param query e.g. `{lastSeq: '3', epoch: 'e_…'}` or `{ticket}`
   * @param options `path` (default `/ws`), `protocol` (default `chat.v1`; `ai-sdk` on
   *   `/ai-sdk/ws`) and the `Origin` header a browser would send
   */
  static async connect(
    wsUrl: string,
    token: string | undefined,
    query: Record<string, string> = {},
    options: { path?: string; protocol?: string; origin?: string } = {},
  ): Promise<ChatClient> {
    const url = new URL(options.path ?? '/ws', wsUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const protocol = options.protocol ?? 'chat.v1';
    const protocols = token === undefined ? [protocol] : [protocol, `bearer.${token}`];
    const socket = new WebSocket(url, protocols, options.origin ? { origin: options.origin } : {});
    const client = new ChatClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused with HTTP ${response.statusCode}`)),
      );
      socket.once('error', reject);
    });
    return client;
  }

  /** Sends a client message as JSON. */
  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The first frame (received so far or later) matching `predicate`. */
  waitFor(predicate: (frame: Frame) => boolean, what = 'a matching frame'): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.frames.find(predicate);
        if (found) {
          finish();
          resolve(found);
          return true;
        }
        if (this.socket.readyState === WebSocket.CLOSED) {
          finish();
          reject(new Error(`socket closed before ${what}; got ${this.describe()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}; got ${this.describe()}`));
      }, WAIT_MS);
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      const wake = (): void => {
        check();
      };
      if (!check()) this.waiters.add(wake);
    });
  }

  /** The first frame of `type` (for a run when `runId` is given). */
  waitForType(type: string, runId?: string): Promise<Frame> {
    return this.waitFor(
      (frame) => frame.type === type && (runId === undefined || frame.runId === runId),
      type,
    );
  }

  /** Every event (frame with a `seq`) of a run, in arrival order. */
  runEvents(runId: string): Frame[] {
    return this.events().filter((frame) => frame.runId === runId);
  }

  /** Every stream event (a frame with `seq` and `runId`; `welcome` has a `seq` too), in order. */
  events(): Frame[] {
    return this.frames.filter(
      (frame) => typeof frame.seq === 'number' && typeof frame.runId === 'string',
    );
  }

  /** Closes normally and waits for the close. */
  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close(1000);
    await this.closed;
  }

  private describe(): string {
    return JSON.stringify(this.frames.map((frame) => frame.type));
  }
}
