import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from './utf8-byte-length.js';

const encoder = new TextEncoder();

describe('utf8ByteLength', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'hello, world'],
    ['two-byte', 'héllo ñ ß'],
    ['three-byte', 'こんにちは €'],
    ['four-byte', 'emoji 😀🎉 and 𝄞'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone low surrogate', 'a\udc00b'],
    ['high surrogate at the end', 'a\ud83d'],
    ['boundaries', '\u007f\u0080\u07ff\u0800\uffff'],
  ])('counts %s like TextEncoder', (_name, text) => {
    expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
  });
});
