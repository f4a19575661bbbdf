import { ArithmeticError, evaluateArithmetic } from './arithmetic-parser.js';
import type { Tool, ToolOutcome } from './tool.js';

/**
 * `calculator`: evaluates `args.expression` (`+ - * / ^`, parentheses, decimals) with the
 * arithmetic parser; the result is the number. Fails with `invalid_arguments`,
 * `invalid_expression`, `division_by_zero` or `not_finite`.
 */
export const calculatorTool: Tool = {
  name: 'calculator',
  description:
    'Evaluates an arithmetic expression with + - * / ^ and parentheses, e.g. "12*(3+4)".',
  parameters: {
    type: 'object',
    properties: { expression: { type: 'string', description: 'The expression, e.g. "12*(3+4)"' } },
    required: ['expression'],
    additionalProperties: false,
  },
  execute(args): ToolOutcome {
    const { expression } = args;
    if (typeof expression !== 'string') {
      return {
        ok: false,
        error: { code: 'invalid_arguments', message: 'expression must be a string' },
      };
    }
    try {
      return { ok: true, result: evaluateArithmetic(expression) };
    } catch (error) {
      if (error instanceof ArithmeticError)
        return { ok: false, error: { code: error.code, message: error.message } };
      throw error;
    }
  },
};
