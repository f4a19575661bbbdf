/**
 * A small recursive-descent parser and evaluator for arithmetic: numbers with decimals, `+ - * /`,
 * `^` (power, right-associative), unary minus and plus, parentheses. The input is parsed, never
 * run as code. Grammar, loosest binding first:
 *
 * ```
 * expression := term (('+' | '-') term)*
 * term       := unary (('*' | '/') unary)*
 * unary      := ('-' | '+') unary | power
 * power      := primary ('^' unary)?
 * primary    := number | '(' expression ')'
 * ```
 *
 * So `-2^2` is `-(2^2)` and `2^-1` is `0.5`, as in mathematics.
 */

/** Longest expression accepted, in characters. */
const MAX_EXPRESSION_LENGTH = 256;
/** Deepest nesting of parentheses and unary signs accepted. */
export const MAX_EXPRESSION_DEPTH = 64;

/** Why an expression has no value. */
export type ArithmeticErrorCode = 'invalid_expression' | 'division_by_zero' | 'not_finite';

/** The expression cannot be parsed or has no finite value. */
export class ArithmeticError extends Error {
  readonly code: ArithmeticErrorCode;

  constructor(code: ArithmeticErrorCode, message: string) {
    super(message);
    this.name = 'ArithmeticError';
    this.code = code;
  }
}

/** A parsed expression. */
export type ArithmeticNode =
  | { kind: 'number'; value: number }
  | { kind: 'negate'; operand: ArithmeticNode }
  | {
      kind: 'binary';
      operator: '+' | '-' | '*' | '/' | '^';
      left: ArithmeticNode;
      right: ArithmeticNode;
    };

type Token =
  { kind: 'number'; value: number; at: number } | { kind: 'symbol'; symbol: string; at: number };

const NUMBER = /\d+(?:\.\d*)?|\.\d+/y;
const SYMBOLS = new Set(['+', '-', '*', '/', '^', '(', ')']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source.charAt(at);
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    if (SYMBOLS.has(char)) {
      tokens.push({ kind: 'symbol', symbol: char, at });
      at += 1;
      continue;
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(source);
    if (!match)
      throw new ArithmeticError('invalid_expression', `Unexpected "${char}" at position ${at + 1}`);
    tokens.push({ kind: 'number', value: Number(match[0]), at });
    at += match[0].length;
  }
  return tokens;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly sourceLength: number,
  ) {}

  parse(): ArithmeticNode {
    if (this.tokens.length === 0)
      throw new ArithmeticError('invalid_expression', 'The expression is empty');
    const node = this.expression();
    const extra = this.tokens[this.index];
    if (extra) throw this.unexpected(extra);
    return node;
  }

  private expression(): ArithmeticNode {
    let node = this.term();
    for (let op = this.symbolAhead('+', '-'); op; op = this.symbolAhead('+', '-')) {
      this.index += 1;
      node = { kind: 'binary', operator: op, left: node, right: this.term() };
    }
    return node;
  }

  private term(): ArithmeticNode {
    let node = this.unary();
    for (let op = this.symbolAhead('*', '/'); op; op = this.symbolAhead('*', '/')) {
      this.index += 1;
      node = { kind: 'binary', operator: op, left: node, right: this.unary() };
    }
    return node;
  }

  private unary(): ArithmeticNode {
    const sign = this.symbolAhead('+', '-');
    if (!sign) return this.power();
    this.index += 1;
    const operand = this.nested(() => this.unary());
    return sign === '-' ? { kind: 'negate', operand } : operand;
  }

  private power(): ArithmeticNode {
    const base = this.primary();
    if (!this.symbolAhead('^')) return base;
    this.index += 1;
    return { kind: 'binary', operator: '^', left: base, right: this.nested(() => this.unary()) };
  }

  private primary(): ArithmeticNode {
    const token = this.tokens[this.index];
    if (!token) throw new ArithmeticError('invalid_expression', 'The expression ends too early');
    this.index += 1;
    if (token.kind === 'number') return { kind: 'number', value: token.value };
    if (token.symbol !== '(') throw this.unexpected(token);
    const inner = this.nested(() => this.expression());
    const close = this.tokens[this.index];
    if (!close || close.kind !== 'symbol' || close.symbol !== ')') {
      throw new ArithmeticError(
        'invalid_expression',
        `Missing ")" for the "(" at position ${token.at + 1}`,
      );
    }
    this.index += 1;
    return inner;
  }

  private nested(parse: () => ArithmeticNode): ArithmeticNode {
    this.depth += 1;
    if (this.depth > MAX_EXPRESSION_DEPTH) {
      throw new ArithmeticError(
        'invalid_expression',
        `The expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels`,
      );
    }
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private symbolAhead<S extends string>(...symbols: S[]): S | undefined {
    const token = this.tokens[this.index];
    if (token?.kind !== 'symbol') return undefined;
    return symbols.find((symbol) => symbol === token.symbol);
  }

  private unexpected(token: Token): ArithmeticError {
    const text = token.kind === 'number' ? String(token.value) : token.symbol;
    const position = Math.min(token.at + 1, this.sourceLength);
    return new ArithmeticError(
      'invalid_expression',
      `Unexpected "${text}" at position ${position}`,
    );
  }
}

/**
 * Parses an arithmetic expression.
 *
 * @throws {ArithmeticError} `invalid_expression` with the position of the problem
 */
export function parseArithmetic(source: string): ArithmeticNode {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ArithmeticError(
      'invalid_expression',
      `The expression is longer than ${MAX_EXPRESSION_LENGTH} characters`,
    );
  }
  return new Parser(tokenize(source), source.length).parse();
}

function evaluateNode(node: ArithmeticNode): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'negate':
      return -evaluateNode(node.operand);
    case 'binary': {
      const left = evaluateNode(node.left);
      const right = evaluateNode(node.right);
      switch (node.operator) {
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '*':
          return left * right;
        case '/':
          if (right === 0) throw new ArithmeticError('division_by_zero', 'Division by zero');
          return left / right;
        case '^':
          return left ** right;
      }
    }
  }
}

/**
 * Parses and evaluates an arithmetic expression. The result is rounded to 15 significant
 * digits, so `0.1+0.2` is `0.3`.
 *
 * @throws {ArithmeticError} `invalid_expression`, `division_by_zero`, or `not_finite` (overflow,
 *   or a power without a real value such as `(-8)^0.5`)
 */
export function evaluateArithmetic(source: string): number {
  const value = evaluateNode(parseArithmetic(source));
  if (!Number.isFinite(value)) {
    throw new ArithmeticError('not_finite', 'The result is not a finite number');
  }
  const rounded = Number.parseFloat(value.toPrecision(15));
  return Object.is(rounded, -0) ? 0 : rounded;
}
