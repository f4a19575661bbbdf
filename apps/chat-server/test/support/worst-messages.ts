/**
 * The chat messages that cost the demo agent the most: each exactly `LIMITS.maxTextLength`
 * characters, shaped after the expression finder's former quadratic paths (unbalanced
 * parentheses on either side, runs of dots, parentheses among spaces) and the longest inputs
 * of its other patterns. Shared by the attack test and the hardening benchmark.
 */
import { LIMITS } from '@app/ws-protocol';

/** `unit` repeated to fill the space `head` and `tail` leave in a maximum-length message. */
function fill(head: string, unit: string, tail: string): string {
  const room = LIMITS.maxTextLength - head.length - tail.length;
  const body = unit.repeat(Math.floor(room / unit.length));
  return `${head}${body}${'x'.repeat(room - body.length)}${tail}`;
}

/** The worst messages, one of each shape, every one exactly 16,384 characters. */
export function worstMessages(): string[] {
  return [
    fill('1+1', ')', ''),
    fill('', '(', '1+1'),
    fill('1+1', '.', '1'),
    fill('', '.', '1+1'),
    fill('1+1', ' )', ''),
    fill('', '( ', '1+1'),
    fill('', '1+', '1'),
    fill('slow', ' ', 'x'),
    fill('', 'what time ', ''),
  ];
}
