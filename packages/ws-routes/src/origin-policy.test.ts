import { describe, expect, it } from 'vitest';
import { isOriginAllowed, normaliseAllowedOrigins } from './origin-policy.js';

describe('isOriginAllowed', () => {
  it('allows requests without Origin in both modes', () => {
    expect(isOriginAllowed(undefined, 'chat.example', undefined)).toBe(true);
    expect(isOriginAllowed(undefined, 'chat.example', ['https://app.example'])).toBe(true);
  });

  it('unset: allows same-origin only', () => {
    expect(isOriginAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', undefined)).toBe(true);
    expect(isOriginAllowed('https://Chat.Example', 'chat.example:443', undefined)).toBe(true);
    expect(isOriginAllowed('http://evil.example', '127.0.0.1:8080', undefined)).toBe(false);
    expect(isOriginAllowed('http://127.0.0.1:9999', '127.0.0.1:8080', undefined)).toBe(false);
    expect(isOriginAllowed('null', '127.0.0.1:8080', undefined)).toBe(false);
    expect(isOriginAllowed('http://127.0.0.1:8080', undefined, undefined)).toBe(false);
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
