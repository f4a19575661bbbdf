import { AppError, type ErrorCode } from '@app/ws-protocol';

/**
 * The error registry of `@app/ws-core` (docs/errors.md#ws-core): every stable code, each
 * never reused for another meaning. Every error class takes its code from here.
 */
export const codes = Object.freeze({
  WS_FACTORY_BYPASS: 'WS_FACTORY_BYPASS',
  WS_USER_CONTEXT_REQUIRED: 'WS_USER_CONTEXT_REQUIRED',
  WS_INVALID_USER_CONTEXT: 'WS_INVALID_USER_CONTEXT',
  WS_CONNECTION_LIMIT: 'WS_CONNECTION_LIMIT',
  WS_RUN_STATE: 'WS_RUN_STATE',
  WS_UNKNOWN_AGENT: 'WS_UNKNOWN_AGENT',
  WS_INVALID_AGENT: 'WS_INVALID_AGENT',
  WS_TOO_MANY_RUNS: 'WS_TOO_MANY_RUNS',
  WS_SHUTTING_DOWN: 'WS_SHUTTING_DOWN',
  WS_EVENT_TOO_LARGE: 'WS_EVENT_TOO_LARGE',
  WS_ENGINE_UNAVAILABLE: 'WS_ENGINE_UNAVAILABLE',
  WS_RUN_FENCED: 'WS_RUN_FENCED',
  WS_INVALID_INPUT: 'WS_INVALID_INPUT',
  WS_RATE_LIMITED: 'WS_RATE_LIMITED',
  WS_RUN_TOO_LARGE: 'WS_RUN_TOO_LARGE',
} as const);

/** One of the {@link codes}. */
export type WsCoreErrorCode = (typeof codes)[keyof typeof codes];

/**
 * The protocol `error.code` a route answers with when a client message caused an error of the
 * given code (docs/protocol.md#error-codes). Codes missing here are not the client's doing:
 * the route answers `internal`.
 */
const WIRE_CODES: { readonly [Code in WsCoreErrorCode]?: ErrorCode } = {
  WS_UNKNOWN_AGENT: 'unknown_agent',
  WS_TOO_MANY_RUNS: 'too_many_runs',
  WS_SHUTTING_DOWN: 'unavailable',
  WS_ENGINE_UNAVAILABLE: 'unavailable',
  WS_INVALID_INPUT: 'invalid_message',
  WS_RATE_LIMITED: 'rate_limited',
};

/** What a route sends for a failed client message, from {@link wireErrorOf}. */
export interface WireError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryAfterMs?: number;
}

/**
 * Base class of every error thrown by `@app/ws-core`. `code` comes from {@link codes};
 * `wireCode` is the protocol error code a route sends when a client message caused the error.
 */
export class WsCoreError extends AppError<WsCoreErrorCode> {
  /** The protocol `error.code` to answer with, when a client message caused this error. */
  readonly wireCode: ErrorCode | undefined;

  constructor(code: WsCoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.wireCode = WIRE_CODES[code];
  }
}

/**
 * Asks the registry how a failure of a client message goes on the wire: the `error` frame's
 * code, message and `retryAfterMs` for a ws-core error a client can cause, undefined for
 * anything else (a route answers `internal` and logs it).
 */
export function wireErrorOf(error: unknown): WireError | undefined {
  if (!(error instanceof WsCoreError)) return undefined;
  const code = error.wireCode;
  if (code === undefined) return undefined;
  const retryAfterMs =
    error instanceof EngineUnavailableError || error instanceof RateLimitedError
      ? error.retryAfterMs
      : undefined;
  return retryAfterMs === undefined
    ? { code, message: error.message }
    : { code, message: error.message, retryAfterMs };
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
  constructor() {
    super(
      codes.WS_FACTORY_BYPASS,
      'WebSocketManager cannot be constructed directly: use getWebSocketManager(userContext) ' +
        '(or hub.getManager(userContext)), which returns the one manager of that user.',
    );
  }
}

/** A manager was requested without a user context. Code `WS_USER_CONTEXT_REQUIRED`. */
export class UserContextRequiredError extends WsCoreError {
  constructor() {
    super(
      codes.WS_USER_CONTEXT_REQUIRED,
      'A user context is required: getWebSocketManager(createUserContext({ userId })). ' +
        'There is no anonymous shared manager.',
    );
  }
}

/** The user id is empty, longer than 128 characters or has control characters. */
export class InvalidUserContextError extends WsCoreError {
  constructor(reason: string) {
    super(codes.WS_INVALID_USER_CONTEXT, `Invalid user context: ${reason}.`);
  }
}

/** The user already has `maxConnectionsPerUser` open connections. */
export class ConnectionLimitError extends WsCoreError {
  constructor(readonly limit: number) {
    super(codes.WS_CONNECTION_LIMIT, `Too many connections for this user (at most ${limit}).`);
  }
}

/** A run emitter call that breaks the per-run order of docs/protocol.md#run-order. Nothing was emitted. */
export class RunStateError extends WsCoreError {
  constructor(message: string) {
    super(codes.WS_RUN_STATE, message);
  }
}

/** `chat` named an agent that is not registered. Wire code `unknown_agent`. */
export class UnknownAgentError extends WsCoreError {
  constructor(readonly agentName: string) {
    super(codes.WS_UNKNOWN_AGENT, `Unknown agent "${agentName}".`);
  }
}

/** An agent definition is malformed or its name is already registered. */
export class InvalidAgentError extends WsCoreError {
  constructor(message: string) {
    super(codes.WS_INVALID_AGENT, message);
  }
}

/** The user already has `maxRunsPerUser` runs in progress. Wire code `too_many_runs`. */
export class TooManyRunsError extends WsCoreError {
  constructor(readonly limit: number) {
    super(codes.WS_TOO_MANY_RUNS, `Too many runs in progress (at most ${limit}).`);
  }
}

/** The hub is draining: no new chat or run. Wire code `unavailable`. */
export class ShuttingDownError extends WsCoreError {
  constructor() {
    super(codes.WS_SHUTTING_DOWN, 'The server is shutting down.');
  }
}

/** An event whose JSON exceeds `maxEventBytes`. Nothing was appended. */
export class EventTooLargeError extends WsCoreError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(codes.WS_EVENT_TOO_LARGE, `Event of ${bytes} bytes exceeds maxEventBytes (${limit}).`);
  }
}

/**
 * The run went past `maxRunEvents` or `maxRunBytes` (docs/protocol.md#8-joining-mid-run): the
 * event was refused and the run ends with `agent_completed` `error`, code `run_too_large`.
 */
export class RunTooLargeError extends WsCoreError {
  constructor(
    readonly runId: string,
    readonly bound: 'maxRunEvents' | 'maxRunBytes',
    readonly limit: number,
  ) {
    super(
      codes.WS_RUN_TOO_LARGE,
      `Run ${runId} went past ${bound} (${limit}); it ends with run_too_large.`,
    );
  }
}

/** The stream engine cannot serve the request (closed, backend unreachable). Wire `unavailable`. */
export class EngineUnavailableError extends WsCoreError {
  constructor(
    message = 'The event stream engine is unavailable.',
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(codes.WS_ENGINE_UNAVAILABLE, message, { cause });
  }
}

/**
 * The engine refused an append of a run this node no longer owns (lease token mismatch) or
 * that already has its terminal event.
 */
export class RunFencedError extends WsCoreError {
  constructor(readonly runId: string) {
    super(codes.WS_RUN_FENCED, `Run ${runId} is not owned by this lease or has already ended.`);
  }
}

/** A call with invalid arguments (e.g. empty chat text). Wire code `invalid_message`. */
export class InvalidInputError extends WsCoreError {
  constructor(message: string) {
    super(codes.WS_INVALID_INPUT, message);
  }
}

/**
 * A per-user limit refused the request (e.g. the chat server's new threads per minute, from an
 * `admitChat` hook). Wire code `rate_limited`, with `retryAfterMs`.
 */
export class RateLimitedError extends WsCoreError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(codes.WS_RATE_LIMITED, message);
  }
}
