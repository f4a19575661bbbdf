import { describe, expect, it } from 'vitest';
import { isSensitiveKey } from './sensitive-key';

describe('isSensitiveKey', () => {
  it.each([
    'token',
    'TOKEN',
    'accessToken',
    'refresh_token',
    'id-token',
    'csrftoken',
    'authorization',
    'Authorization',
    'proxy-authorization',
    'password',
    'passwordHash',
    'PASSWD',
    'secret',
    'clientSecret',
    'client_secret',
    'cookie',
    'set-cookie',
    'Set-Cookie',
    'jwt',
    'jwtToken',
    'apiKey',
    'api_key',
    'API-KEY',
    'x-api-key',
    'XApiKey',
    'apikey',
    'privateKey',
    'credentials',
    'tokenCount',
  ])('treats %s as a credential', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'userId',
    'connectionId',
    'runId',
    'threadId',
    'requestId',
    'message',
    'promptTokens',
    'total_tokens',
    'maxTokens',
    'tokenizer',
    'keyboard',
    'monkey',
    'apiVersion',
  ])('keeps %s', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });

  it('answers the same from its cache', () => {
    expect(isSensitiveKey('sessionToken')).toBe(true);
    expect(isSensitiveKey('sessionToken')).toBe(true);
    expect(isSensitiveKey('sessionId')).toBe(false);
    expect(isSensitiveKey('sessionId')).toBe(false);
  });
});
