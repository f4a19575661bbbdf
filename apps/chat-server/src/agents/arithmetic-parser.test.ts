import { describe, expect, it } from 'vitest';
import {
  ArithmeticError,
  MAX_EXPRESSION_DEPTH,
  evaluateArithmetic,
  parseArithmetic,
} from './arithmetic-parser.js';

function failure(source: string): ArithmeticError {
  try {
    evaluateArithmetic(source);
  } catch (error) {
    if (error instanceof ArithmeticError) return error;
    throw error;
  }
  throw new Error(`${source} evaluated`);
}

describe('evaluateArithmetic', () => {
  it.each([
    ['12*(3+4)', 84],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['-3 * 2', -6],
    ['-(2 + 3)', -5],
    ['--4', 4],
    ['+5 - -5', 10],
    ['2^3^2', 512],
    ['-2^2', -4],
    ['2^-1', 0.5],
    ['(-2)^2', 4],
    ['1.5 * 4', 6],
    ['.5 + 1.', 1.5],
    ['0.1 + 0.2', 0.3],
    ['7 / 2', 3.5],
    ['  42  ', 42],
    ['1 - 1', 0],
    ['-0 * 5', 0],
  ])('%s = %d', (source, expected) => {
    expect(evaluateArithmetic(source)).toBe(expected);
  });

  it('reports division by zero', () => {
    expect(failure('1/0').code).toBe('division_by_zero');
    expect(failure('5 / (3 - 3)').message).toBe('Division by zero');
  });

  it('reports values that are not finite', () => {
    expect(failure('10^400').code).toBe('not_finite');
    expect(failure('(-8)^0.5').code).toBe('not_finite');
  });

  it.each([
    ['', 'The expression is empty'],
    ['1 +', 'The expression ends too early'],
    ['(1 + 2', 'Missing ")" for the "(" at position 1'],
    ['1 + 2)', 'Unexpected ")" at position 6'],
    ['2 3', 'Unexpected "3" at position 3'],
    ['2 * x', 'Unexpected "x" at position 5'],
    ['process.exit(1)', 'Unexpected "p" at position 1'],
    ['* 2', 'Unexpected "*" at position 1'],
  ])('refuses %j: %s', (source, message) => {
    const error = failure(source);
    expect(error.code).toBe('invalid_expression');
    expect(error.message).toBe(message);
  });

  it('bounds length and nesting', () => {
    expect(failure('1+'.repeat(200) + '1').message).toMatch(/longer than 256/);
    const deep = '('.repeat(MAX_EXPRESSION_DEPTH + 1) + '1' + ')'.repeat(MAX_EXPRESSION_DEPTH + 1);
    expect(failure(deep).message).toMatch(/nests deeper/);
    const ok = '('.repeat(20) + '1' + ')'.repeat(20);
    expect(evaluateArithmetic(ok)).toBe(1);
  });
});

describe('parseArithmetic', () => {
  it('binds power tighter than unary minus, and left-associates subtraction', () => {
    expect(parseArithmetic('-2^2')).toEqual({
      kind: 'negate',
      operand: {
        kind: 'binary',
        operator: '^',
        left: { kind: 'number', value: 2 },
        right: { kind: 'number', value: 2 },
      },
    });
    expect(parseArithmetic('3-2-1')).toEqual({
      kind: 'binary',
      operator: '-',
      left: {
        kind: 'binary',
        operator: '-',
        left: { kind: 'number', value: 3 },
        right: { kind: 'number', value: 2 },
      },
      right: { kind: 'number', value: 1 },
    });
  });
});
