import { safeValidateUIMessages } from 'ai';
import { describe, expect, it } from 'vitest';
import { toUIMessages, type StoredMessage } from './ui-messages';

const thread: StoredMessage[] = [
  { messageId: 'm_1', role: 'user', text: 'what is 12*(3+4)?', runId: 'r_1' },
  {
    messageId: 'r_1',
    role: 'assistant',
    text: '12*(3+4) = 84.',
    runId: 'r_1',
    status: 'success',
    tools: [
      {
        name: 'calculator',
        args: { expression: '12*(3+4)' },
        ok: true,
        toolCallId: 'tc_1',
        result: 84,
      },
    ],
  },
  { messageId: 'm_2', role: 'user', text: 'fail tool', runId: 'r_2' },
  {
    messageId: 'r_2',
    role: 'assistant',
    text: '',
    runId: 'r_2',
    status: 'success',
    tools: [
      { name: 'clock', args: {}, ok: false, error: { code: 'tool_failed', message: 'on purpose' } },
    ],
  },
];

describe('toUIMessages', () => {
  it('user text parts; assistant tool parts with input and output, then text', () => {
    expect(toUIMessages(thread)).toEqual([
      { id: 'm_1', role: 'user', parts: [{ type: 'text', text: 'what is 12*(3+4)?' }] },
      {
        id: 'r_1',
        role: 'assistant',
        parts: [
          {
            type: 'tool-calculator',
            toolCallId: 'tc_1',
            state: 'output-available',
            input: { expression: '12*(3+4)' },
            output: 84,
          },
          { type: 'text', text: '12*(3+4) = 84.', state: 'done' },
        ],
      },
      { id: 'm_2', role: 'user', parts: [{ type: 'text', text: 'fail tool' }] },
      {
        id: 'r_2',
        role: 'assistant',
        parts: [
          {
            type: 'tool-clock',
            toolCallId: 'r_2-tool-1',
            state: 'output-error',
            input: {},
            errorText: 'tool_failed: on purpose',
          },
        ],
      },
    ]);
  });

  it('makes messages the AI SDK’s own validator accepts', async () => {
    const validated = await safeValidateUIMessages({ messages: toUIMessages(thread) });
    expect(validated.success).toBe(true);
  });
});
