/**
 * Finds the arithmetic expression in a chat message: `what is 12*(3+4)?` → `12*(3+4)`.
 * A candidate is a run of digits, operators, parentheses, dots and spaces that holds at least two
 * numbers and an operator, so `slow 5`, `-5` or `version 2.0` are not mistaken for sums. The
 * candidate is returned as written (trimmed), for the calculator to parse.
 */

const CANDIDATE = /[-+*/^().\d\s]+/g;
const NUMBER = /\d+(?:\.\d*)?|\.\d+/g;
const OPERATOR = /[-+*/^]/;

/** The first arithmetic expression in `text`, or `undefined` when it holds none. */
export function findArithmeticExpression(text: string): string | undefined {
  for (const [candidate] of text.matchAll(CANDIDATE)) {
    // A sentence's full stop is not a decimal point.
    const trimmed = balanceParentheses(candidate.trim().replace(/\.+$/, '').trim());
    if ((trimmed.match(NUMBER) ?? []).length >= 2 && OPERATOR.test(trimmed)) return trimmed;
  }
  return undefined;
}

/** `(what is 2+2)` yields the candidate `2+2)`: drop the parenthesis that belongs to the prose. */
function balanceParentheses(candidate: string): string {
  let result = candidate;
  const count = (char: string): number => result.split(char).length - 1;
  while (result.endsWith(')') && count(')') > count('(')) result = result.slice(0, -1).trimEnd();
  while (result.startsWith('(') && count('(') > count(')')) result = result.slice(1).trimStart();
  return result;
}
