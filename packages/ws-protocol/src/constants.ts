// The `@app/ws-protocol/constants` entry: the protocol's plain values and type guards without
// the zod schemas, so browser bundles (the client SDK) can import them at a few hundred bytes.
export { PROTOCOL_VERSION, SUBPROTOCOL, BEARER_PROTOCOL_PREFIX } from './protocol-version.js';
export {
  EVENT_TYPES,
  CRITICAL_EVENTS,
  TERMINAL_EVENT,
  isEventType,
  isCriticalEvent,
  type EventType,
  type CriticalEventType,
} from './event-types.js';
export { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes.js';
export { AppError, isAppError } from './app-error.js';
export { CLOSE_CODES, type CloseCode } from './close-codes.js';
export { RUN_STATUSES, type RunStatus } from './run-statuses.js';
export { RUN_ERROR_CODES, type RunErrorCode } from './run-error-codes.js';
export { LIMITS } from './limits.js';
export { isActiveRun, type ActiveRun } from './active-run.js';
export { isChatEvent, type ChatEvent, type UnsequencedEvent } from './chat-event.js';
