/** Every event type of a user's stream (docs/protocol.md#event-types), in the order of its table. */
export const EVENT_TYPES = [
  'user_message',
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_response_delta',
  'agent_completed',
] as const;

/** The type of a stream event. */
export type EventType = (typeof EVENT_TYPES)[number];

/** The five events every run must deliver (docs/protocol.md#event-types), in the order a run emits them. */
export const CRITICAL_EVENTS = [
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed',
] as const;

/** One of the five critical event types. */
export type CriticalEventType = (typeof CRITICAL_EVENTS)[number];

/** The event that ends every run, exactly once; nothing of that run follows it. */
export const TERMINAL_EVENT = 'agent_completed';

const eventTypeSet: ReadonlySet<string> = new Set(EVENT_TYPES);
const criticalEventSet: ReadonlySet<string> = new Set(CRITICAL_EVENTS);

/** Whether `type` names a stream event of docs/protocol.md#event-types (control frames are not events). */
export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && eventTypeSet.has(type);
}

/** Whether `type` is one of the five {@link CRITICAL_EVENTS}. */
export function isCriticalEvent(type: unknown): type is CriticalEventType {
  return typeof type === 'string' && criticalEventSet.has(type);
}
