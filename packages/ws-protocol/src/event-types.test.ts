import { describe, expect, it } from 'vitest';
import {
  CRITICAL_EVENTS,
  EVENT_TYPES,
  TERMINAL_EVENT,
  isCriticalEvent,
  isEventType,
} from './event-types.js';

describe('event types', () => {
  it('lists the seven stream events of docs/protocol.md#event-types', () => {
    expect(EVENT_TYPES).toEqual([
      'user_message',
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_response_delta',
      'agent_completed',
    ]);
  });

  it('lists the five critical events in order', () => {
    expect(CRITICAL_EVENTS).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
  });

  it('ends runs with agent_completed', () => {
    expect(TERMINAL_EVENT).toBe('agent_completed');
    expect(CRITICAL_EVENTS.at(-1)).toBe(TERMINAL_EVENT);
  });

  it('tells critical events apart', () => {
    for (const type of CRITICAL_EVENTS) expect(isCriticalEvent(type)).toBe(true);
    expect(isCriticalEvent('user_message')).toBe(false);
    expect(isCriticalEvent('agent_response_delta')).toBe(false);
    expect(isCriticalEvent('welcome')).toBe(false);
    expect(isCriticalEvent(undefined)).toBe(false);
  });

  it('tells events from control frames and junk', () => {
    for (const type of EVENT_TYPES) expect(isEventType(type)).toBe(true);
    for (const type of ['welcome', 'pong', 'ack', 'error', 'resumed', 'toString', '', 3, null]) {
      expect(isEventType(type)).toBe(false);
    }
  });
});
