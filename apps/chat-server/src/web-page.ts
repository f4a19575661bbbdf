/**
 * The chat web page: `GET /` serves the page built from `web/` (`dist/public/index.html`) and
 * `GET /assets/<file>` its script and styles (`app.js`, `app.css`, their source maps). The files
 * are read once, at start; everything is same-origin, nothing comes from a CDN.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

/** Options of {@link registerWebPage}. */
export interface WebPageOptions {
  /**
   * The directory of the built page. Default: `public/` beside this module in the build
   * (`dist/public`), else `../dist/public` when running from sources after a build.
   */
  publicDir?: string;
}

/** What {@link registerWebPage} found, for the start-up log. */
export interface WebPageStatus {
  /** The directory served from; undefined when no built page was found. */
  publicDir: string | undefined;
  /** The asset names served under `/assets/`. */
  assets: string[];
}

/** Served asset types; other files in the directory are not served. */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The page talks to its own origin only: its script, styles, the HTTP API and the WebSocket
 * (`'self'` covers `ws:`/`wss:` of the same host in CSP level 3).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Chat server</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5">
<h1>The chat page is not built</h1>
<p>The server runs, but <code>dist/public</code> holds no page. Build it with
<code>npx turbo run build --filter=chat-server...</code> and restart the server.</p>
</body>
</html>
`;

interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  etag: string;
}

/**
 * Mounts `GET /` and `GET /assets/:name` on `app`. Without a built page, `GET /` answers 503
 * with how to build it. Unknown assets fall through to the app's 404.
 *
 * Responses carry an `ETag` and `Cache-Control: no-cache` (revalidated on every load, 304 when
 * unchanged); the page carries a strict `Content-Security-Policy`.
 */
export function registerWebPage(app: Hono, options: WebPageOptions = {}): WebPageStatus {
  const publicDir = options.publicDir ?? findPublicDir();
  const index = publicDir === undefined ? undefined : readIndex(publicDir);
  const assets =
    index && publicDir !== undefined ? readAssets(publicDir) : new Map<string, StaticFile>();

  app.get('/', (c) => {
    if (!index) return c.html(NOT_BUILT_PAGE, 503);
    return serve(c.req.header('If-None-Match'), index, {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
  });
  app.get('/assets/:name', (c) => {
    const file = assets.get(c.req.param('name'));
    if (!file) return c.notFound();
    return serve(c.req.header('If-None-Match'), file);
  });

  return { publicDir: index ? publicDir : undefined, assets: [...assets.keys()] };
}

function serve(
  ifNoneMatch: string | undefined,
  file: StaticFile,
  extraHeaders: Record<string, string> = {},
): Response {
  const headers = {
    ETag: file.etag,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...extraHeaders,
  };
  if (ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(file.etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(file.body, {
    status: 200,
    headers: { ...headers, 'Content-Type': file.contentType },
  });
}

function findPublicDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'public'), path.join(here, '..', 'dist', 'public')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html')));
}

function readIndex(dir: string): StaticFile | undefined {
  const file = path.join(dir, 'index.html');
  if (!fs.existsSync(file)) return undefined;
  return toStaticFile(fs.readFileSync(file), 'text/html; charset=utf-8');
}

function readAssets(dir: string): Map<string, StaticFile> {
  const assets = new Map<string, StaticFile>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const contentType = CONTENT_TYPES[path.extname(entry.name)];
    if (!entry.isFile() || contentType === undefined) continue;
    assets.set(entry.name, toStaticFile(fs.readFileSync(path.join(dir, entry.name)), contentType));
  }
  return assets;
}

function toStaticFile(body: Buffer, contentType: string): StaticFile {
  const digest = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return { body: new Uint8Array(body), contentType, etag: `"${digest}"` };
}
