import { describe, expect, it } from 'vitest';
import { formatListenUrl } from './listen-url.js';

describe('formatListenUrl', () => {
  it.each([
    ['127.0.0.1', 8080, 'http://127.0.0.1:8080'],
    ['0.0.0.0', 80, 'http://127.0.0.1:80'],
    ['::', 8080, 'http://[::1]:8080'],
    ['::1', 9000, 'http://[::1]:9000'],
    ['[::1]', 9000, 'http://[::1]:9000'],
    ['localhost', 3000, 'http://localhost:3000'],
  ])('%s:%d → %s', (host, port, url) => {
    expect(formatListenUrl(host, port)).toBe(url);
  });
});
