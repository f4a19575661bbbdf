import { describe, expect, it } from 'vitest';
import { isOriginAllowed, normaliseAllowedOrigins } from './origin-policy.js';

describe('isOriginAllowed', () => {
  it('allows requests without Origin in both modes', () => {
    expect(isOriginAllowed(undefined, 'chat.example', undefined)).toBe(true);
    expect(isOriginAllowed(undefined, 'chat.example', ['https://app.example'])).toBe(true);
  });

  it('unset: allows same-origin only', () => {
    expect(isOriginAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', undefined)).toBe(true);
    expect(isOriginAllowed('https://Chat.Example', 'chat.example:443', undefined, 'https')).toBe(
      true,
    );
    expect(isOriginAllowed('http://evil.example', '127.0.0.1:8080', undefined)).toBe(false);
    expect(isOriginAllowed('http://127.0.0.1:9999', '127.0.0.1:8080', undefined)).toBe(false);
    expect(isOriginAllowed('null', '127.0.0.1:8080', undefined)).toBe(false);
    expect(isOriginAllowed('http://127.0.0.1:8080', undefined, undefined)).toBe(false);
  });

  it('unset: compares the scheme too, not only host and port', () => {
    expect(isOriginAllowed('http://chat.example', 'chat.example', undefined, 'https')).toBe(false);
    expect(isOriginAllowed('https://chat.example', 'chat.example', undefined, 'http')).toBe(false);
    expect(isOriginAllowed('https://chat.example', 'chat.example', undefined)).toBe(false);
    expect(isOriginAllowed('ws://chat.example', 'chat.example', undefined, 'http')).toBe(false);
    expect(isOriginAllowed('https://chat.example', 'chat.example', undefined, 'https')).toBe(true);
  });

  it('set: allows only the listed origins', () => {
    const allowed = normaliseAllowedOrigins(['https://app.example/', 'http://localhost:3000']);
    expect(isOriginAllowed('https://app.example', 'api.example', allowed)).toBe(true);
    expect(isOriginAllowed('http://localhost:3000', 'api.example', allowed)).toBe(true);
    expect(isOriginAllowed('https://api.example', 'api.example', allowed)).toBe(false);
    expect(isOriginAllowed('http://app.example', 'api.example', allowed)).toBe(false);
  });

  it('rejects an allow-list entry that is no origin', () => {
    expect(() => normaliseAllowedOrigins(['not an origin'])).toThrow(TypeError);
  });
});
