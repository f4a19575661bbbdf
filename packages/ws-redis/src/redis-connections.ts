import { createClient } from 'redis';
import { ClusterClient } from './cluster-client';
import { SINGLE_SHARD, type ShardRouter } from './node-batch';
import type { RedisClientLike } from './redis-client';

/** Reconnection backoff of the connections the engine creates. */
export interface ReconnectSettings {
  /** First delay, in ms. Default 100. */
  readonly minDelayMs: number;
  /** Longest delay, in ms. Default 2000. */
  readonly maxDelayMs: number;
}

/**
 * Exponential backoff with ±25 % jitter, never giving up: a node keeps trying to reach Redis
 * for as long as it runs (docs/scaling.md#rule-6-outage: no process exits).
 */
function reconnectDelay(retries: number, settings: ReconnectSettings): number {
  const base = Math.min(settings.maxDelayMs, settings.minDelayMs * 2 ** Math.min(retries, 20));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

const ignoreError = (): void => {
  // Errors are reported through RedisHealth; this listener only keeps an unhandled 'error'
  // event from crashing the process after the engine detached its own listeners.
};

/**
 * The engine's two connections: one for commands and scripts, one in subscriber mode (a RESP2
 * connection that subscribed can run nothing else). From a `url`, both are created here, with
 * the reconnect backoff, and closed by {@link close} — two cluster clients when `cluster` is set
 * (`url` is then the seed node). From a `client`, that client carries the
 * commands (it is connected if it is not open yet, and never closed here) and a duplicate of
 * it, owned here, carries the subscriptions.
 */
export class RedisConnections {
  readonly command: RedisClientLike;
  readonly subscriber: RedisClientLike;
  /** Whether they talk to a Redis Cluster (`createCluster`, docs/scaling.md#rule-8-redis-cluster). */
  readonly cluster: boolean;
  /** Which shard a key lives on (one for a standalone Redis). */
  readonly router: ShardRouter;
  readonly #ownsCommand: boolean;
  #closed = false;

  /** `name` labels the connections made from a `url` in `CLIENT LIST` (`<name>:commands`, `<name>:subscriber`). */
  constructor(
    source: { url: string; cluster?: boolean } | { client: RedisClientLike },
    reconnect: ReconnectSettings,
    name: string,
  ) {
    this.cluster = 'url' in source && source.cluster === true;
    this.router = SINGLE_SHARD;
    if ('url' in source && source.cluster === true) {
      const make = (role: 'commands' | 'subscriber'): ClusterClient =>
        new ClusterClient({
          url: source.url,
          role,
          name: `${name}:${role}`,
          reconnectDelay: (retries) => reconnectDelay(retries, reconnect),
        });
      const command = make('commands');
      this.command = command;
      this.subscriber = make('subscriber');
      this.router = command;
      this.#ownsCommand = true;
    } else if ('url' in source) {
      const make = (offlineQueue: boolean): RedisClientLike =>
        createClient({
          url: source.url,
          name: `${name}:${offlineQueue ? 'subscriber' : 'commands'}`,
          disableOfflineQueue: !offlineQueue,
          socket: { reconnectStrategy: (retries) => reconnectDelay(retries, reconnect) },
        });
      // Appends wait for readiness themselves (bounded); commands must fail fast meanwhile.
      this.command = make(false);
      this.subscriber = make(true);
      this.#ownsCommand = true;
    } else {
      this.command = source.client;
      this.subscriber = source.client.duplicate({ disableOfflineQueue: false });
      this.#ownsCommand = false;
    }
    this.command.on('error', ignoreError);
    this.subscriber.on('error', ignoreError);
  }

  /** Opens the connections in the background; failures are retried by the reconnect strategy. */
  start(): void {
    for (const client of [this.command, this.subscriber]) {
      if (!client.isOpen) client.connect().catch(ignoreError);
    }
  }

  /** Closes what this engine owns: gracefully when connected, at once otherwise. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const owned = this.#ownsCommand ? [this.command, this.subscriber] : [this.subscriber];
    await Promise.all(owned.map((client) => closeClient(client)));
    if (!this.#ownsCommand) this.command.off('error', ignoreError);
  }
}

async function closeClient(client: RedisClientLike): Promise<void> {
  if (!client.isOpen) return;
  try {
    if (client.isReady) await client.close();
    else client.destroy();
  } catch {
    try {
      if (client.isOpen) client.destroy();
    } catch {
      // Already closed.
    }
  }
}
