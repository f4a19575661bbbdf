export {
  createChatClient,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ChatClient,
} from './chat-client.js';
export type {
  CancelOptions,
  ChatClientOptions,
  ChatOptions,
  ChatResult,
  CredentialProvider,
  CredentialReason,
} from './client-options.js';
export type {
  CatchUpInfo,
  ChatClientEvents,
  ConnectionState,
  StateChange,
  StreamEventMap,
} from './client-events.js';
export { computeBackoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export {
  CLOSE_ACTIONS,
  DEFAULT_RATE_LIMIT_DELAY_MS,
  getCloseAction,
  isTerminalCloseAction,
  type CloseAction,
} from './close-policy.js';
export {
  EventSequencer,
  type ResetInfo,
  type SequencerOutcome,
  type SequencerWelcome,
  type StreamPosition,
} from './event-sequencer.js';
export {
  emptyRunView,
  foldRunViews,
  reduceRunView,
  runAnswer,
  type RunStep,
  type RunView,
  type RunViewStatus,
  type ToolCallView,
} from './run-view.js';
export {
  ChatClientError,
  codes,
  type ChatClientErrorCode,
  type ChatClientErrorDetails,
  type ClientErrorCode,
} from './errors.js';
export { decodeJwtExpiry } from './jwt-expiry.js';
export {
  computeRefreshDelay,
  DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
  MIN_REFRESH_DELAY_MS,
} from './token-refresh.js';
export { DEFAULT_PONG_TIMEOUT_MS, type LivenessOptions } from './liveness.js';
export {
  buildConnectRequest,
  type ConnectCredential,
  type ConnectRequest,
} from './connect-request.js';
export type { Listener } from './typed-emitter.js';
export type {
  CloseEventLike,
  MessageEventLike,
  WebSocketConstructor,
  WebSocketLike,
} from './websocket-like.js';
