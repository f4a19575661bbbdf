/** A pub/sub message handler, as node-redis calls it. */
export type MessageHandler = (message: string, channel: string) => void;

/** Listener of a client event. */
export type ClientEventListener = (arg?: unknown) => void;

/**
 * The part of a node-redis v5 client (`createClient()` from `redis`) the engine uses. Any
 * standalone node-redis client fits, whatever its modules, scripts or RESP version.
 */
export interface RedisClientLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  sendCommand(args: readonly string[]): Promise<unknown>;
  duplicate(overrides?: { disableOfflineQueue?: boolean }): RedisClientLike;
  on(event: 'ready' | 'error' | 'end' | 'reconnecting', listener: ClientEventListener): unknown;
  off(event: 'ready' | 'error' | 'end' | 'reconnecting', listener: ClientEventListener): unknown;
  SUBSCRIBE(channels: string, listener: MessageHandler): Promise<void>;
  UNSUBSCRIBE(channels?: string, listener?: MessageHandler): Promise<void>;
  SSUBSCRIBE(channels: string, listener: MessageHandler): Promise<void>;
  SUNSUBSCRIBE(channels?: string, listener?: MessageHandler): Promise<void>;
  close(): Promise<unknown>;
  destroy(): unknown;
}
