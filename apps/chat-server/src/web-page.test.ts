import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebPage } from './web-page.js';

let publicDir: string;

beforeAll(() => {
  publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-page-'));
  fs.writeFileSync(path.join(publicDir, 'index.html'), '<!doctype html><title>Chat</title>');
  fs.writeFileSync(path.join(publicDir, 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(publicDir, 'app.css'), 'body{margin:0}');
  fs.writeFileSync(path.join(publicDir, 'notes.txt'), 'not an asset');
  fs.mkdirSync(path.join(publicDir, 'nested'));
  fs.writeFileSync(path.join(publicDir, 'nested', 'deep.js'), 'nope');
});

afterAll(() => {
  fs.rmSync(publicDir, { recursive: true, force: true });
});

/** An app with the page, and a JSON 404 like the real one. */
function appWith(dir: string): { app: Hono; status: ReturnType<typeof registerWebPage> } {
  const app = new Hono();
  const status = registerWebPage(app, { publicDir: dir });
  app.notFound((c) => c.json({ error: { code: 'not_found' } }, 404));
  return { app, status };
}

describe('registerWebPage', () => {
  it('serves index.html at / with a strict Content-Security-Policy', async () => {
    const { app, status } = appWith(publicDir);
    expect(status).toEqual({ publicDir, assets: ['app.css', 'app.js'].sort() });
    const response = await app.request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('<!doctype html><title>Chat</title>');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it.each([
    ['app.js', 'text/javascript; charset=utf-8', 'console.log("app")'],
    ['app.css', 'text/css; charset=utf-8', 'body{margin:0}'],
  ])('serves /assets/%s as %s', async (name, type, body) => {
    const response = await appWith(publicDir).app.request(`/assets/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(await response.text()).toBe(body);
  });

  it('answers 304 to a matching If-None-Match and 200 to a stale one', async () => {
    const { app } = appWith(publicDir);
    const etag = (await app.request('/assets/app.js')).headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const cached = await app.request('/assets/app.js', {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
    const stale = await app.request('/assets/app.js', { headers: { 'If-None-Match': '"old"' } });
    expect(stale.status).toBe(200);
  });

  it.each([
    '/assets/missing.js',
    '/assets/notes.txt',
    '/assets/index.html',
    '/assets/nested/deep.js',
    '/assets/..%2Fapp.js',
    '/assets/%2e%2e%2fnotes.txt',
  ])('does not serve %s', async (url) => {
    const response = await appWith(publicDir).app.request(url);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found' } });
  });

  it('answers 503 with how to build when there is no built page', async () => {
    const { app, status } = appWith(path.join(publicDir, 'does-not-exist'));
    expect(status).toEqual({ publicDir: undefined, assets: [] });
    const response = await app.request('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npx turbo run build --filter=chat-server...');
    expect((await app.request('/assets/app.js')).status).toBe(404);
  });
});
