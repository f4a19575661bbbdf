/**
 * A TCP proxy a test controls, in front of a real server (PostgreSQL), to simulate outages
 * without touching the server itself: `cut()` — open connections are destroyed and new ones
 * closed at once; `hang()` — open connections are destroyed and new ones accepted but never
 * answered (a black hole); `restore()` ends either.
 */
import net from 'node:net';

/** A running proxy on 127.0.0.1. */
export class TcpProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #mode: 'open' | 'cut' | 'hang' = 'open';

  private constructor(server: net.Server) {
    this.#server = server;
  }

  /** Starts a proxy on a free port of 127.0.0.1 forwarding to `host:port`. */
  static async start(host: string, port: number): Promise<TcpProxy> {
    const server = net.createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => proxy.#accept(client, host, port));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** The port it listens on. */
  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** The outage starts: every open connection is destroyed; new ones are closed at once. */
  cut(): void {
    this.#mode = 'cut';
    this.#destroyAll();
  }

  /** The database stops answering: open connections are destroyed; new ones hang. */
  hang(): void {
    this.#mode = 'hang';
    this.#destroyAll();
  }

  /** The outage ends (hanging connections are destroyed). */
  restore(): void {
    if (this.#mode === 'hang') this.#destroyAll();
    this.#mode = 'open';
  }

  #destroyAll(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** Destroys every connection and stops listening. */
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: net.Socket, host: string, port: number): void {
    if (this.#mode === 'cut') {
      client.destroy();
      return;
    }
    if (this.#mode === 'hang') {
      this.#sockets.add(client);
      client.on('error', () => undefined);
      client.on('close', () => this.#sockets.delete(client));
      return;
    }
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
