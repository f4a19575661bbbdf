import { describe, expect, it } from 'vitest';
import { checkChatMessage } from './outbound-limits.js';

const chat = (text: string) => ({ type: 'chat' as const, id: 'm1', text });

describe('checkChatMessage', () => {
  it('accepts 1 to 16384 characters', () => {
    expect(checkChatMessage(chat('a'))).toBeUndefined();
    expect(checkChatMessage(chat('a'.repeat(16384)))).toBeUndefined();
  });

  it('refuses empty and over-long texts with invalid_message and the ref', () => {
    expect(checkChatMessage(chat(''))).toMatchObject({ code: 'invalid_message', ref: 'm1' });
    expect(checkChatMessage(chat('a'.repeat(16385)))).toMatchObject({ code: 'invalid_message' });
  });

  it('counts characters as code points, not UTF-16 units', () => {
    expect(checkChatMessage(chat('😀'.repeat(8000)))).toBeUndefined(); // 16000 units, 8000 points
  });

  it('refuses a frame over 64 KiB of UTF-8 that would close the connection with 1009', () => {
    const text = '😀'.repeat(16384); // 16384 characters but 65536 bytes before the envelope
    expect(checkChatMessage(chat(text))).toMatchObject({
      code: 'invalid_message',
      message: expect.stringContaining('bytes'),
    });
  });
});
