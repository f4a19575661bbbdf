import { describe, expect, it } from 'vitest';
import {
  CRITICAL_EVENTS,
  EVENT_TYPES,
  TERMINAL_EVENT,
  isCriticalEvent,
  isEventType,
} from './event-types.js';

describe('event types', () => {
  it('tell the five critical events of docs/protocol.md#event-types apart, agent_completed last', () => {
    const critical = [
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ];
    expect(CRITICAL_EVENTS).toEqual(critical);
    expect(TERMINAL_EVENT).toBe('agent_completed');
    expect(CRITICAL_EVENTS.at(-1)).toBe(TERMINAL_EVENT);
    for (const type of critical) expect(isCriticalEvent(type)).toBe(true);
    expect(isCriticalEvent('user_message')).toBe(false);
    expect(isCriticalEvent('agent_response_delta')).toBe(false);
    expect(isCriticalEvent('welcome')).toBe(false);
    expect(isCriticalEvent(undefined)).toBe(false);
  });

  it('tell the seven stream events of docs/protocol.md#event-types from control frames and junk', () => {
    const events = [
      'user_message',
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_response_delta',
      'agent_completed',
    ];
    expect(EVENT_TYPES).toEqual(events);
    for (const type of events) expect(isEventType(type)).toBe(true);
    for (const type of ['welcome', 'pong', 'ack', 'error', 'resumed', 'toString', '', 3, null]) {
      expect(isEventType(type)).toBe(false);
    }
  });
});
