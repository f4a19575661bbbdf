export { createRedisEngine, RedisStreamEngine } from './redis-engine';
export type { RedisEngineOptions } from './redis-engine-options';
export type { RedisClientLike, MessageHandler, ClientEventListener } from './redis-client';
export type { PubSubMode } from './pubsub-mode';
export type { StreamKeys } from './stream-keys';
export { NODE_LOST_CODE } from './orphan-run-reaper';
export { createRedisTicketStore } from './ticket-store';
export {
  createRedisRateLimiterStore,
  type RedisRateLimiterStoreOptions,
} from './rate-limiter-store';
export {
  WS_REDIS_ERROR_CODES,
  WsRedisError,
  RedisConfigError,
  RedisReplyError,
  type WsRedisErrorCode,
} from './errors';
