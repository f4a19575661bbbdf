import type { ErrorCode } from '@app/ws-protocol';

/** Every stable error code of `@app/ws-core`. Codes are never reused for another meaning. */
export const WS_CORE_ERROR_CODES = [
  'WS_FACTORY_BYPASS',
  'WS_USER_CONTEXT_REQUIRED',
  'WS_INVALID_USER_CONTEXT',
  'WS_CONNECTION_LIMIT',
  'WS_RUN_STATE',
  'WS_UNKNOWN_AGENT',
  'WS_INVALID_AGENT',
  'WS_TOO_MANY_RUNS',
  'WS_SHUTTING_DOWN',
  'WS_EVENT_TOO_LARGE',
  'WS_ENGINE_UNAVAILABLE',
  'WS_RUN_FENCED',
  'WS_INVALID_INPUT',
] as const;

/** One of {@link WS_CORE_ERROR_CODES}. */
export type WsCoreErrorCode = (typeof WS_CORE_ERROR_CODES)[number];

function hasCode(value: unknown): value is { code: unknown } {
  return typeof value === 'object' && value !== null && 'code' in value;
}

/**
 * Base class of every error thrown by `@app/ws-core`. `code` is stable (see the README table);
 * `wireCode` is the protocol error code a route sends when a client message caused the error.
 */
export class WsCoreError extends Error {
  /** The code every instance of this class carries (undefined on the abstract base). */
  static readonly CODE: WsCoreErrorCode | undefined = undefined;
  /** Stable machine-readable code (`WS_*`). */
  readonly code: WsCoreErrorCode;
  /** The protocol `error.code` to answer with, when a client message caused this error. */
  readonly wireCode: ErrorCode | undefined;

  constructor(
    code: WsCoreErrorCode,
    message: string,
    options?: { wireCode?: ErrorCode; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.wireCode = options?.wireCode;
    this.name = new.target.name;
  }
}

/** True when `error` is a ws-core error, optionally one of `code`. */
export function isWsCoreError(error: unknown, code?: WsCoreErrorCode): error is WsCoreError {
  if (!hasCode(error) || typeof error.code !== 'string' || !error.code.startsWith('WS_')) {
    return false;
  }
  return code === undefined || error.code === code;
}

/** `value` if it is an Error, else an Error that carries it as `cause`. @internal */
export function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : 'A non-Error value was thrown', {
    cause: value,
  });
}

/** `new WebSocketManager()` was called outside the factory. Code `WS_FACTORY_BYPASS`. */
export class FactoryBypassError extends WsCoreError {
  static override readonly CODE = 'WS_FACTORY_BYPASS';
  constructor() {
    super(
      'WS_FACTORY_BYPASS',
      'WebSocketManager cannot be constructed directly: use getWebSocketManager(userContext) ' +
        '(or hub.getManager(userContext)), which returns the one manager of that user.',
    );
  }
}

/** A manager was requested without a user context. Code `WS_USER_CONTEXT_REQUIRED`. */
export class UserContextRequiredError extends WsCoreError {
  static override readonly CODE = 'WS_USER_CONTEXT_REQUIRED';
  constructor() {
    super(
      'WS_USER_CONTEXT_REQUIRED',
      'A user context is required: getWebSocketManager(createUserContext({ userId })). ' +
        'There is no anonymous shared manager.',
    );
  }
}

/** The user id is empty, longer than 128 characters or has control characters. */
export class InvalidUserContextError extends WsCoreError {
  static override readonly CODE = 'WS_INVALID_USER_CONTEXT';
  constructor(reason: string) {
    super('WS_INVALID_USER_CONTEXT', `Invalid user context: ${reason}.`);
  }
}

/** The user already has `maxConnectionsPerUser` open connections. */
export class ConnectionLimitError extends WsCoreError {
  static override readonly CODE = 'WS_CONNECTION_LIMIT';
  constructor(readonly limit: number) {
    super('WS_CONNECTION_LIMIT', `Too many connections for this user (at most ${limit}).`);
  }
}

/** A run emitter call that breaks the per-run order of docs/protocol.md#run-order. Nothing was emitted. */
export class RunStateError extends WsCoreError {
  static override readonly CODE = 'WS_RUN_STATE';
  constructor(message: string) {
    super('WS_RUN_STATE', message);
  }
}

/** `chat` named an agent that is not registered. Wire code `unknown_agent`. */
export class UnknownAgentError extends WsCoreError {
  static override readonly CODE = 'WS_UNKNOWN_AGENT';
  constructor(readonly agentName: string) {
    super('WS_UNKNOWN_AGENT', `Unknown agent "${agentName}".`, { wireCode: 'unknown_agent' });
  }
}

/** An agent definition is malformed or its name is already registered. */
export class InvalidAgentError extends WsCoreError {
  static override readonly CODE = 'WS_INVALID_AGENT';
  constructor(message: string) {
    super('WS_INVALID_AGENT', message);
  }
}

/** The user already has `maxRunsPerUser` runs in progress. Wire code `too_many_runs`. */
export class TooManyRunsError extends WsCoreError {
  static override readonly CODE = 'WS_TOO_MANY_RUNS';
  constructor(readonly limit: number) {
    super('WS_TOO_MANY_RUNS', `Too many runs in progress (at most ${limit}).`, {
      wireCode: 'too_many_runs',
    });
  }
}

/** The hub is draining: no new chat or run. Wire code `unavailable`. */
export class ShuttingDownError extends WsCoreError {
  static override readonly CODE = 'WS_SHUTTING_DOWN';
  constructor() {
    super('WS_SHUTTING_DOWN', 'The server is shutting down.', { wireCode: 'unavailable' });
  }
}

/** An event whose JSON exceeds `maxEventBytes`. Nothing was appended. */
export class EventTooLargeError extends WsCoreError {
  static override readonly CODE = 'WS_EVENT_TOO_LARGE';
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super('WS_EVENT_TOO_LARGE', `Event of ${bytes} bytes exceeds maxEventBytes (${limit}).`);
  }
}

/** The stream engine cannot serve the request (closed, backend unreachable). Wire `unavailable`. */
export class EngineUnavailableError extends WsCoreError {
  static override readonly CODE = 'WS_ENGINE_UNAVAILABLE';
  constructor(
    message = 'The event stream engine is unavailable.',
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super('WS_ENGINE_UNAVAILABLE', message, { wireCode: 'unavailable', cause });
  }
}

/**
 * The engine refused an append of a run this node no longer owns (lease token mismatch) or
 * that already has its terminal event.
 */
export class RunFencedError extends WsCoreError {
  static override readonly CODE = 'WS_RUN_FENCED';
  constructor(readonly runId: string) {
    super('WS_RUN_FENCED', `Run ${runId} is not owned by this lease or has already ended.`);
  }
}

/** A call with invalid arguments (e.g. empty chat text). Wire code `invalid_message`. */
export class InvalidInputError extends WsCoreError {
  static override readonly CODE = 'WS_INVALID_INPUT';
  constructor(message: string) {
    super('WS_INVALID_INPUT', message, { wireCode: 'invalid_message' });
  }
}
