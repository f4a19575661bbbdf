import { describe, expect, it } from 'vitest';
import { MAX_QUOTED_INPUT_CHARS, quotedInput } from './quoted-input.js';

describe('quotedInput', () => {
  it('quotes short input whole', () => {
    expect(quotedInput('r_123')).toBe('"r_123"');
    expect(quotedInput('x'.repeat(MAX_QUOTED_INPUT_CHARS))).toBe(
      JSON.stringify('x'.repeat(MAX_QUOTED_INPUT_CHARS)),
    );
  });

  it('cuts long input to 128 characters, never inside a code point', () => {
    expect(quotedInput('y'.repeat(60_000))).toBe(`${JSON.stringify('y'.repeat(128))}…`);
    const emoji = '😀'.repeat(200);
    expect(quotedInput(emoji)).toBe(`${JSON.stringify('😀'.repeat(128))}…`);
    expect(quotedInput('😀'.repeat(128))).toBe(JSON.stringify('😀'.repeat(128)));
  });
});
