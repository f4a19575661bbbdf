import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssues } from './format-issues.js';

describe('formatIssues', () => {
  it('joins distinct messages in order', () => {
    const schema = z.object({
      a: z.string({ error: 'a and c must be text' }),
      b: z.string({ error: 'b must be text' }),
      c: z.string({ error: 'a and c must be text' }),
    });
    const issues = schema.safeParse({}).error?.issues ?? [];
    expect(formatIssues(issues)).toBe('a and c must be text; b must be text');
  });

  it('names the path of a stock message', () => {
    const issues = z.object({ count: z.number() }).safeParse({ count: 'x' }).error?.issues ?? [];
    expect(formatIssues(issues)).toMatch(/^count: /);
  });
});
