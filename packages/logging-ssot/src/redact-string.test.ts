import { describe, expect, it } from 'vitest';
import { MAX_STRING_LENGTH, redactString } from './redact-string';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIn0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

describe('redactString', () => {
  it('leaves ordinary text alone', () => {
    expect(redactString('user connected')).toBe('user connected');
    expect(redactString('')).toBe('');
    expect(redactString('a=1&b=2')).toBe('a=1&b=2');
  });

  it('redacts a bare JWT and one inside longer text', () => {
    expect(redactString(JWT)).toBe('[REDACTED]');
    expect(redactString(`token was ${JWT}, rejected`)).toBe('token was [REDACTED], rejected');
    expect(redactString(`wss://chat.example/ws?x=1&t=${JWT}#frag`)).toBe(
      'wss://chat.example/ws?x=1&t=[REDACTED]#frag',
    );
  });

  it('redacts Bearer credentials and the bearer.<token> subprotocol', () => {
    expect(redactString('Authorization: Bearer abc.def-123')).toBe(
      'Authorization: Bearer [REDACTED]',
    );
    expect(redactString('bearer   opaque_token_value tail')).toBe('bearer   [REDACTED] tail');
    expect(redactString(`chat.v1, bearer.${JWT}`)).toBe('chat.v1, bearer.[REDACTED]');
    expect(redactString('chat.v1, bearer.opaqueTokenValue')).toBe('chat.v1, bearer.[REDACTED]');
    expect(redactString(`x ${JWT} y ${JWT}`)).not.toContain('eyJ');
  });

  it('redacts credential parameters and JSON properties inside text', () => {
    expect(redactString('wss://h/ws?token=opaque123&x=1')).toBe('wss://h/ws?token=[REDACTED]&x=1');
    expect(redactString('GET /cb?code=1&api_key=k-9 HTTP/1.1')).toBe(
      'GET /cb?code=1&api_key=[REDACTED] HTTP/1.1',
    );
    expect(redactString('{"type":"auth","token":"opaque","id":1}')).toBe(
      '{"type":"auth","token":"[REDACTED]","id":1}',
    );
    expect(redactString('{"password": "hunter2"}')).toBe('{"password": "[REDACTED]"}');
  });

  it('truncates long strings and notes their length', () => {
    const long = 'x'.repeat(12_345);
    const result = redactString(long);
    expect(result).toBe(`${'x'.repeat(MAX_STRING_LENGTH)}…[truncated, 12345 chars]`);
    expect(redactString('y'.repeat(MAX_STRING_LENGTH))).toBe('y'.repeat(MAX_STRING_LENGTH));
  });

  it('redacts before truncating, also in huge strings', () => {
    const huge = `${'a'.repeat(100)} ${JWT} ${'b'.repeat(200_000)}`;
    const result = redactString(huge);
    expect(result).not.toContain('eyJ');
    expect(result).toContain('[REDACTED]');
    expect(result).toMatch(/…\[truncated, 200\d{3} chars]$/);
  });

  it('handles hostile repetitions (each pass scans the text a bounded number of times)', () => {
    const repeated = redactString('eyJ'.repeat(8000));
    expect(repeated.startsWith('eyJeyJ')).toBe(true);
    expect(repeated.endsWith('…[truncated, 24000 chars]')).toBe(true);
    expect(redactString(`x ${'eyJ'.repeat(5)}.${JWT}`)).not.toContain('c2ln');
    const frames = redactString('{"token":"'.repeat(2400));
    expect(frames.startsWith('{"token":"[REDACTED]"token":"')).toBe(true);
    expect(redactString(`{"token": "unterminated ${'a'.repeat(100)}`)).toBe(
      '{"token": "[REDACTED]"',
    );
    expect(redactString('{"token":12345,"n":1}')).toBe('{"token":"[REDACTED]","n":1}');
  });
});
