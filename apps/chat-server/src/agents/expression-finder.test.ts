import { describe, expect, it } from 'vitest';
import { findArithmeticExpression } from './expression-finder.js';

describe('findArithmeticExpression', () => {
  it.each([
    ['what is 12*(3+4)?', '12*(3+4)'],
    ['What is 3 + 4?', '3 + 4'],
    ['compute (2+3)*4.', '(2+3)*4'],
    ['(what is 2+2)', '2+2'],
    ['how much is -3 * 2.5 please', '-3 * 2.5'],
    ['1/0', '1/0'],
    ['2^10', '2^10'],
    ['first 1+1, then more', '1+1'],
    ['((1+1) and', '(1+1)'],
    ['( ( 2*3 ) ) )', '( ( 2*3 ) )'],
    ['is it 1+1 ...', '1+1'],
  ])('%j → %j', (text, expected) => {
    expect(findArithmeticExpression(text)).toBe(expected);
  });

  it.each([
    ['closing parentheses', `1+1${')'.repeat(16_381)}`],
    ['opening parentheses and spaces', `${'( '.repeat(8_190)}1+1`],
    ['full stops', `1+1${'.'.repeat(16_381)}`],
  ])('finds 1+1 before or after 16 k %s', (_shape, text) => {
    expect(findArithmeticExpression(text)).toBe('1+1');
  });

  it.each([
    'hello',
    'slow 5',
    'what is -5?',
    'version 2.0 is out',
    'what time is it',
    'I have 3 cats and 4 dogs',
  ])('%j holds no expression', (text) => {
    expect(findArithmeticExpression(text)).toBeUndefined();
  });
});
