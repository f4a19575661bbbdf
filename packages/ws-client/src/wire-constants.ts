import type {
  BEARER_PROTOCOL_PREFIX,
  EventType,
  LIMITS,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
} from '@app/ws-protocol';

// The few protocol values the client needs at run time. They are typed against
// `@app/ws-protocol` (`import type` only), so a change there fails this package's typecheck,
// while importing the values would pull that package's zod schemas into every browser bundle.

/** `chat.v1`: the subprotocol every v1 connection offers. */
export const CHAT_SUBPROTOCOL: typeof SUBPROTOCOL = 'chat.v1';

/** `bearer.`: the prefix of the subprotocol that carries the JWT. */
export const BEARER_PREFIX: typeof BEARER_PROTOCOL_PREFIX = 'bearer.';

/** `1`: the only `welcome.protocol` this client speaks. */
export const SUPPORTED_PROTOCOL: typeof PROTOCOL_VERSION = 1;

/** `chat.text` is 1 to this many characters (code points). */
export const MAX_TEXT_LENGTH: (typeof LIMITS)['maxTextLength'] = 16384;

/** The server's default largest inbound frame: bigger ones close the connection with 1009. */
export const MAX_INBOUND_BYTES: (typeof LIMITS)['maxInboundBytes'] = 65536;

/** Every stream event type; a `Record` so that a type added to the protocol fails the typecheck here. */
const KNOWN_EVENT_TYPES: Readonly<Record<EventType, true>> = {
  user_message: true,
  agent_started: true,
  agent_thinking: true,
  tool_executing: true,
  tool_completed: true,
  agent_response_delta: true,
  agent_completed: true,
};

/** Whether `type` is a stream event type this client knows (and so can type for listeners). */
export function isKnownEventType(type: string): type is EventType {
  return Object.hasOwn(KNOWN_EVENT_TYPES, type);
}
