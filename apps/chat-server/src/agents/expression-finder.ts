/**
 * Finds the arithmetic expression in a chat message: `what is 12*(3+4)?` → `12*(3+4)`.
 * A candidate is a run of digits, operators, parentheses, dots and spaces that holds at least two
 * numbers and an operator, so `slow 5`, `-5` or `version 2.0` are not mistaken for sums. The
 * candidate is returned as written (trimmed), for the calculator to parse.
 *
 * Every step is one pass over the candidate, so a message costs time linear in its length: no
 * message a user may send holds the event loop (docs/security.md#busy-event-loop).
 */

const CANDIDATE = /[-+*/^().\d\s]+/g;
const NUMBER = /\d+(?:\.\d*)?|\.\d+/g;
const OPERATOR = /[-+*/^]/;
// The candidate's whitespace is `\s`, which is exactly what `String#trim` removes.
const SPACE = /\s/;
const OPEN = 0x28;
const CLOSE = 0x29;
const DOT = 0x2e;

/** The first arithmetic expression in `text`, or `undefined` when it holds none. */
export function findArithmeticExpression(text: string): string | undefined {
  for (const [candidate] of text.matchAll(CANDIDATE)) {
    const trimmed = balanceParentheses(withoutFullStop(candidate));
    if (OPERATOR.test(trimmed) && hasTwoNumbers(trimmed)) return trimmed;
  }
  return undefined;
}

/** The candidate trimmed, without trailing dots: a sentence's full stop is not a decimal point. */
function withoutFullStop(candidate: string): string {
  const trimmed = candidate.trim();
  let end = trimmed.length;
  while (end > 0 && trimmed.charCodeAt(end - 1) === DOT) end -= 1;
  return trimmed.slice(0, end).trimEnd();
}

function hasTwoNumbers(candidate: string): boolean {
  NUMBER.lastIndex = 0;
  const found = NUMBER.test(candidate) && NUMBER.test(candidate);
  NUMBER.lastIndex = 0;
  return found;
}

/**
 * `(what is 2+2)` yields the candidate `2+2)`: drop the parentheses that belong to the prose —
 * closing ones at the end while there are more `)` than `(`, then opening ones at the start while
 * there are more `(` than `)` — with the spaces next to them.
 */
function balanceParentheses(candidate: string): string {
  let opening = 0;
  let closing = 0;
  for (let index = 0; index < candidate.length; index += 1) {
    const code = candidate.charCodeAt(index);
    if (code === OPEN) opening += 1;
    else if (code === CLOSE) closing += 1;
  }
  let start = 0;
  let end = candidate.length;
  while (end > start && candidate.charCodeAt(end - 1) === CLOSE && closing > opening) {
    end -= 1;
    closing -= 1;
    while (end > start && SPACE.test(candidate.charAt(end - 1))) end -= 1;
  }
  while (start < end && candidate.charCodeAt(start) === OPEN && opening > closing) {
    start += 1;
    opening -= 1;
    while (start < end && SPACE.test(candidate.charAt(start))) start += 1;
  }
  return candidate.slice(start, end);
}
