/**
 * Serves a built single-page app (a Vite `dist/`) on 127.0.0.1 and forwards `/api/*` and
 * WebSocket upgrades under `/ai-sdk/` to an upstream chat server with the Host rewritten — what
 * the example's vite.config.ts proxy does in development — so the page's origin differs from
 * the chat server's and the server must allow it (ALLOWED_ORIGINS). The upstream is set after
 * listening, because the chat server's ALLOWED_ORIGINS needs this server's origin first.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import net from 'node:net';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** A running {@link serveExample}. */
export interface ExampleServer {
  /** Its origin, e.g. `http://127.0.0.1:40124`. */
  readonly origin: string;
  /** The chat server `/api/*` and `/ai-sdk/*` go to, e.g. `http://127.0.0.1:40123`. */
  setUpstream(url: string): void;
  /** Stops listening and cuts every open connection. */
  close(): Promise<void>;
}

/** Serves `distDir` (unknown paths get its index.html) and proxies the chat server's routes. */
export async function serveExample(distDir: string): Promise<ExampleServer> {
  const root = path.resolve(distDir);
  let upstream: URL | undefined;
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://example');
    if (url.pathname.startsWith('/api/')) {
      if (!upstream) return void res.writeHead(502).end('no upstream yet');
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        if (res.headersSent) res.destroy();
        else res.writeHead(502).end();
      });
      req.pipe(forward);
      return;
    }
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)));
    const found =
      file.startsWith(root + path.sep) && fs.statSync(file, { throwIfNoEntry: false })?.isFile();
    const served = found ? file : path.join(root, 'index.html');
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(served)] ?? 'application/octet-stream',
    });
    fs.createReadStream(served).pipe(res);
  });

  server.on('connection', track);
  server.on('upgrade', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    if (!upstream || !(req.url ?? '').startsWith('/ai-sdk/')) return void client.destroy();
    const target = net.connect(Number(upstream.port), upstream.hostname);
    track(target);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      const value = name.toLowerCase() === 'host' ? upstream.host : req.rawHeaders[i + 1]!;
      lines.push(`${name}: ${value}`);
    }
    target.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) target.write(head);
    target.pipe(client).pipe(target);
    const cut = (): void => {
      client.destroy();
      target.destroy();
    };
    client.on('error', cut).on('close', cut);
    target.on('error', cut).on('close', cut);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    setUpstream(url) {
      upstream = new URL(url);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
