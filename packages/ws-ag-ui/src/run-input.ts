import type { Message, RunAgentInput } from '@ag-ui/core';
import { RunAgentInputSchema } from '@ag-ui/core/schemas';

/** Thread and run ids this endpoint takes from a client: 1 to 128 of `A-Z a-z 0-9 _ -`. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** What {@link readRunAgentInput} makes of a request body. */
export type RunAgentInputResult =
  | {
      readonly ok: true;
      readonly input: RunAgentInput;
      /** The user's thread: the input's `threadId`. */
      readonly threadId: string;
      /** The text of the last `user` message: what the run answers. */
      readonly text: string;
      /** `forwardedProps.agent` when it is a string, else undefined (the default agent). */
      readonly agent: string | undefined;
      /** The input's `runId` when it is a valid id (whether it is unused is the caller's check). */
      readonly runId: string | undefined;
    }
  | { readonly ok: false; readonly message: string };

/**
 * Validates a `POST /ag-ui` body with AG-UI's own `RunAgentInputSchema` and reads what the run
 * needs from it (docs/interop.md#starting-a-run): the thread id (1–128 of `[A-Za-z0-9_-]`), the
 * last `user` message's text (its string content, or its text parts joined), the agent named
 * by `forwardedProps.agent`, and the client's run id when it is a valid id.
 */
export function readRunAgentInput(body: unknown): RunAgentInputResult {
  const parsed = RunAgentInputSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    return { ok: false, message: `Not a RunAgentInput: ${where}${issue?.message ?? 'invalid'}` };
  }
  const input: RunAgentInput = parsed.data;
  if (!CLIENT_ID_PATTERN.test(input.threadId)) {
    return {
      ok: false,
      message: 'threadId must be 1 to 128 characters of A-Z, a-z, 0-9, "_" and "-"',
    };
  }
  const text = lastUserText(input.messages);
  if (text === undefined || text.length === 0) {
    return {
      ok: false,
      message: 'messages must hold a user message with text (the run answers the last one)',
    };
  }
  const forwarded: unknown = input.forwardedProps;
  const agent =
    typeof forwarded === 'object' && forwarded !== null && 'agent' in forwarded
      ? forwarded.agent
      : undefined;
  if (agent !== undefined && typeof agent !== 'string') {
    return { ok: false, message: 'forwardedProps.agent must be a string' };
  }
  const runId = CLIENT_ID_PATTERN.test(input.runId) ? input.runId : undefined;
  return { ok: true, input, threadId: input.threadId, text, agent, runId };
}

/** The text of the last `user` message: its string content, or its text parts concatenated. */
export function lastUserText(messages: readonly Message[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'user') continue;
    const content = message.content;
    if (typeof content === 'string') return content;
    return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
  return undefined;
}
