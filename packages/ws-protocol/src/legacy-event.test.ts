import { describe, expect, it } from 'vitest';
import type { ChatEvent } from './chat-event.js';
import type { EventPayloads } from './event-payloads.js';
import { EVENT_TYPES, type EventType } from './event-types.js';
import { toLegacyEvent } from './legacy-event.js';

const TS = '2026-11-22T07:00:00.000Z';

function event<T extends EventType>(type: T, payload: EventPayloads[T]): ChatEvent {
  return { type, seq: 42, runId: 'r_1', threadId: 't_1', ts: TS, payload } as ChatEvent;
}

const base = {
  run_id: 'r_1',
  thread_id: 't_1',
  user_id: 'alice',
  timestamp: TS,
  seq: 42,
};

describe('toLegacyEvent', () => {
  it('maps user_message to content and message_id', () => {
    const flat = toLegacyEvent(event('user_message', { messageId: 'm_1', text: 'hi' }), 'alice');
    expect(flat).toEqual({ type: 'user_message', ...base, content: 'hi', message_id: 'm_1' });
  });

  it('maps agent_started to agent_name and task_description', () => {
    const flat = toLegacyEvent(
      event('agent_started', { agentName: 'assistant', input: 'what is 2+2?' }),
      'alice',
    );
    expect(flat).toEqual({
      type: 'agent_started',
      ...base,
      agent_name: 'assistant',
      task_description: 'what is 2+2?',
    });
  });

  it('maps agent_thinking to reasoning', () => {
    const flat = toLegacyEvent(event('agent_thinking', { text: 'hmm' }), 'alice');
    expect(flat).toEqual({ type: 'agent_thinking', ...base, reasoning: 'hmm' });
  });

  it('maps tool_executing to tool_name, tool_args and execution_id', () => {
    const flat = toLegacyEvent(
      event('tool_executing', {
        toolCallId: 'tc_1',
        toolName: 'calculator',
        args: { expression: '12*(3+4)' },
      }),
      'alice',
    );
    expect(flat).toEqual({
      type: 'tool_executing',
      ...base,
      tool_name: 'calculator',
      tool_args: { expression: '12*(3+4)' },
      execution_id: 'tc_1',
    });
  });

  it('maps a successful tool_completed with execution_time in seconds', () => {
    const flat = toLegacyEvent(
      event('tool_completed', {
        toolCallId: 'tc_1',
        toolName: 'calculator',
        ok: true,
        result: 84,
        durationMs: 1250,
      }),
      'alice',
    );
    expect(flat).toEqual({
      type: 'tool_completed',
      ...base,
      tool_name: 'calculator',
      results: 84,
      execution_time: 1.25,
      success: true,
      execution_id: 'tc_1',
    });
  });

  it('maps a failed tool_completed with null results and a flat error', () => {
    const flat = toLegacyEvent(
      event('tool_completed', {
        toolCallId: 'tc_2',
        toolName: 'calculator',
        ok: false,
        error: { code: 'tool_failed', message: 'division by zero' },
        durationMs: 5,
      }),
      'alice',
    );
    expect(flat).toEqual({
      type: 'tool_completed',
      ...base,
      tool_name: 'calculator',
      results: null,
      execution_time: 0.005,
      success: false,
      execution_id: 'tc_2',
      error: 'division by zero',
      error_code: 'tool_failed',
    });
  });

  it('maps agent_response_delta to delta', () => {
    const flat = toLegacyEvent(event('agent_response_delta', { delta: '8' }), 'alice');
    expect(flat).toEqual({ type: 'agent_response_delta', ...base, delta: '8' });
  });

  it('maps agent_completed to status and final_response', () => {
    const flat = toLegacyEvent(
      event('agent_completed', { status: 'success', response: '84', durationMs: 900 }),
      'alice',
    );
    expect(flat).toEqual({
      type: 'agent_completed',
      ...base,
      status: 'success',
      final_response: '84',
    });
  });

  it('maps a failed agent_completed with a null final_response and a flat error', () => {
    const flat = toLegacyEvent(
      event('agent_completed', {
        status: 'error',
        error: { code: 'agent_error', message: 'boom' },
        durationMs: 10,
      }),
      'alice',
    );
    expect(flat).toEqual({
      type: 'agent_completed',
      ...base,
      status: 'error',
      final_response: null,
      error: 'boom',
      error_code: 'agent_error',
    });
  });

  it('gives every event type a flat form carrying the common fields', () => {
    const samples: Record<EventType, ChatEvent> = {
      user_message: event('user_message', { messageId: 'm', text: 't' }),
      agent_started: event('agent_started', { agentName: 'a', input: 'i' }),
      agent_thinking: event('agent_thinking', { text: 't' }),
      tool_executing: event('tool_executing', { toolCallId: 'c', toolName: 'n', args: {} }),
      tool_completed: event('tool_completed', {
        toolCallId: 'c',
        toolName: 'n',
        ok: true,
        durationMs: 0,
      }),
      agent_response_delta: event('agent_response_delta', { delta: 'd' }),
      agent_completed: event('agent_completed', { status: 'cancelled', durationMs: 0 }),
    };
    for (const type of EVENT_TYPES) {
      expect(toLegacyEvent(samples[type], 'alice')).toMatchObject({ type, ...base });
    }
  });

  it('skips an event type it does not know', () => {
    const unknown = { ...event('agent_thinking', { text: 't' }), type: 'agent_dreaming' };
    expect(toLegacyEvent(unknown as unknown as ChatEvent, 'alice')).toBeUndefined();
  });
});
