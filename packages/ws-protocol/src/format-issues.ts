import type { z } from 'zod';

/**
 * One readable sentence from a schema's issues: every distinct message, in order, joined by `; `.
 * The schemas of this package word each message to name its field (`chat.text must be …`); a
 * message that does not mention its field (a stock zod message) is prefixed with the field's path.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const messages: string[] = [];
  for (const issue of issues) {
    const field = issue.path.at(-1);
    const mentionsField = field === undefined || issue.message.includes(String(field));
    const text = mentionsField
      ? issue.message
      : `${issue.path.map(String).join('.')}: ${issue.message}`;
    if (!messages.includes(text)) messages.push(text);
  }
  return messages.join('; ');
}
