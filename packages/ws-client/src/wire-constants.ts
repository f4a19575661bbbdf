import {
  BEARER_PROTOCOL_PREFIX,
  LIMITS,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  isEventType,
} from '@app/ws-protocol/constants';

// The protocol values the client needs at run time, from the schema-free entry of
// `@app/ws-protocol`, so zod never reaches a browser bundle.

/** `chat.v1`: the subprotocol every v1 connection offers. */
export const CHAT_SUBPROTOCOL = SUBPROTOCOL;

/** `bearer.`: the prefix of the subprotocol that carries the JWT. */
export const BEARER_PREFIX = BEARER_PROTOCOL_PREFIX;

/** `1`: the only `welcome.protocol` this client speaks. */
export const SUPPORTED_PROTOCOL = PROTOCOL_VERSION;

/** `chat.text` is 1 to this many characters (code points). */
export const MAX_TEXT_LENGTH = LIMITS.maxTextLength;

/** The server's default largest inbound frame: bigger ones close the connection with 1009. */
export const MAX_INBOUND_BYTES = LIMITS.maxInboundBytes;

/** Whether `type` is a stream event type this client knows (and so can type for listeners). */
export const isKnownEventType = isEventType;
