export * from './constants.js';
export type {
  EventError,
  UserMessagePayload,
  AgentStartedPayload,
  AgentThinkingPayload,
  ToolExecutingPayload,
  ToolCompletedPayload,
  AgentResponseDeltaPayload,
  AgentCompletedPayload,
  EventPayloads,
} from './event-payloads.js';
export type {
  WelcomeFrame,
  PongFrame,
  AckFrame,
  ErrorFrame,
  ResumedFrame,
  ControlFrame,
} from './control-frames.js';
export { serializeFrame, type ServerFrame } from './server-frame.js';
export { eventByteLength } from './event-byte-length.js';
export { utf8ByteLength } from './utf8-byte-length.js';
export {
  CLIENT_MESSAGE_TYPES,
  type ClientMessageType,
  type MessageId,
  type PingMessage,
  type ChatMessage,
  type CancelMessage,
  type ResumeMessage,
  type AuthMessage,
  type ClientMessage,
} from './client-messages.js';
export {
  messageIdSchema,
  pingMessageSchema,
  chatMessageSchema,
  cancelMessageSchema,
  resumeMessageSchema,
  authMessageSchema,
  clientMessageSchema,
} from './client-message-schemas.js';
export type { ParseResult, ParseError, ParseErrorCode } from './parse-result.js';
export { parseClientMessage, validateClientMessage } from './parse-client-message.js';
export {
  toLegacyEvent,
  type LegacyEvent,
  type LegacyEventBase,
  type LegacyUserMessageEvent,
  type LegacyAgentStartedEvent,
  type LegacyAgentThinkingEvent,
  type LegacyToolExecutingEvent,
  type LegacyToolCompletedEvent,
  type LegacyAgentResponseDeltaEvent,
  type LegacyAgentCompletedEvent,
} from './legacy-event.js';
export { createDeprecationNotice, type DeprecationNoticeFrame } from './deprecation-notice.js';
export {
  parseLegacyClientMessage,
  LEGACY_CLIENT_MESSAGE_TYPES,
} from './parse-legacy-client-message.js';
