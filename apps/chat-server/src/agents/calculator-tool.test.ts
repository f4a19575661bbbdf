import { describe, expect, it } from 'vitest';
import { calculatorTool } from './calculator-tool.js';

describe('calculator tool', () => {
  it('returns the number', async () => {
    expect(await calculatorTool.execute({ expression: '12*(3+4)' })).toEqual({
      ok: true,
      result: 84,
    });
  });

  it('fails with the arithmetic error code', async () => {
    expect(await calculatorTool.execute({ expression: '1/0' })).toEqual({
      ok: false,
      error: { code: 'division_by_zero', message: 'Division by zero' },
    });
    expect(await calculatorTool.execute({ expression: '1+' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_expression' },
    });
    expect(await calculatorTool.execute({})).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments' },
    });
  });
});
