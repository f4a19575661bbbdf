/** Every stable error code of `@app/ws-redis`. Codes are never reused for another meaning. */
export const WS_REDIS_ERROR_CODES = ['WS_REDIS_CONFIG', 'WS_REDIS_REPLY'] as const;

/** One of {@link WS_REDIS_ERROR_CODES}. */
export type WsRedisErrorCode = (typeof WS_REDIS_ERROR_CODES)[number];

/**
 * Base class of the errors thrown by `@app/ws-redis` itself. Backend failures surface as
 * ws-core's `EngineUnavailableError` and fenced appends as ws-core's `RunFencedError`, because
 * the hub handles those by code whatever engine it runs on.
 */
export class WsRedisError extends Error {
  /** Stable machine-readable code (`WS_REDIS_*`). */
  readonly code: WsRedisErrorCode;

  constructor(code: WsRedisErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** Invalid options of `createRedisEngine` (or of a store factory). Code `WS_REDIS_CONFIG`. */
export class RedisConfigError extends WsRedisError {
  constructor(message: string) {
    super('WS_REDIS_CONFIG', message);
  }
}

/**
 * Redis answered a script with something this package did not write (another program wrote
 * to its keys, or a version mismatch between nodes). Code `WS_REDIS_REPLY`.
 */
export class RedisReplyError extends WsRedisError {
  constructor(what: string) {
    super('WS_REDIS_REPLY', `Unexpected reply from Redis: ${what}.`);
  }
}
