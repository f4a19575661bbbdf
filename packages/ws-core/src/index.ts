export { getDefaultWebSocketHub, getWebSocketManager } from './default-hub';
export { createWebSocketHub, type HubStats, type WebSocketHub } from './hub';
export type { HubOptions, ResolvedHubSettings } from './hub-settings';
export { createUserContext, MAX_USER_ID_LENGTH, type UserContext } from './user-context';
export { WebSocketManager, type ConnectionReservation } from './manager';
export type { ChatInput, ChatResult, StartRunInput } from './manager-input';
export type { ConnectionHandle, ConnectOptions } from './connection';
export {
  followRun,
  type FollowRunResult,
  type RunFeed,
  type RunFeedEnd,
  type RunFeedListener,
  type RunSelector,
} from './run-feed';
export type { Transport } from './transport';
export type {
  RunCompleteInput,
  RunEmitter,
  ToolCompletedInput,
  ToolExecutingInput,
} from './run-emitter';
export type { Agent, AgentContext, AgentInfo } from './agent';
export { AgentRegistry } from './agent-registry';
export type {
  ChatAdmissionInfo,
  RunCompletionInfo,
  RunHooks,
  RunToolSummary,
  UserMessageInfo,
} from './run-hooks';
export {
  ChatEventMonitor,
  type ChatEventMonitorOptions,
  type MonitorSnapshot,
} from './event-monitor';
export {
  UserRateLimiter,
  type RateLimitDecision,
  type RateLimiterStore,
  type RateLimiterStoreFactory,
  type UserRateLimiterOptions,
} from './user-rate-limiter';
export { MAX_TICKET_TTL_MS, newTicket, type TicketStore, type TicketToken } from './ticket-store';
export type {
  AppendOptions,
  AppendResult,
  ChatAck,
  ChatId,
  ControlMessage,
  EngineHealth,
  ReadSinceResult,
  RetentionSettings,
  RunAdmission,
  RunAdmissionResult,
  RunClaimInfo,
  RunLease,
  StreamEngine,
  StreamListener,
  StreamPosition,
  StreamSnapshot,
  StreamRecord,
  StreamSubscription,
} from './stream-engine';
export { createMemoryEngine, MemoryStreamEngine, type MemoryEngineOptions } from './memory-engine';
export {
  EventEncoder,
  encodeChatEvent,
  encodeChatEventParts,
  sequenceChatEvent,
  type ChatEventJsonParts,
} from './event-encoder';
export {
  ConnectionLimitError,
  EngineUnavailableError,
  EventTooLargeError,
  RunTooLargeError,
  FactoryBypassError,
  InvalidAgentError,
  InvalidInputError,
  RateLimitedError,
  InvalidUserContextError,
  RunFencedError,
  RunStateError,
  ShuttingDownError,
  TooManyRunsError,
  UnknownAgentError,
  UserContextRequiredError,
  codes,
  WsCoreError,
  wireErrorOf,
  type WireError,
  type WsCoreErrorCode,
} from './errors';
