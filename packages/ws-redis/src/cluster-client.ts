import { EventEmitter } from 'node:events';
import { createCluster } from 'redis';
import { keySlot } from './key-slot';
import type { ShardRouter } from './node-batch';
import type { MessageHandler, RedisClientLike } from './redis-client';

type Cluster = ReturnType<typeof createCluster>;

/** Commands whose routing key is not their first argument. */
const SCRIPT_COMMANDS = new Set(['EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO']);
const KEYLESS_COMMANDS = new Set(['COMMAND', 'INFO', 'PING', 'CLUSTER', 'CONFIG', 'TIME']);

/** The key a command is routed by (its slot's master runs it); undefined: any node. */
function routingKey(args: readonly string[]): string | undefined {
  const name = args[0]?.toUpperCase() ?? '';
  if (SCRIPT_COMMANDS.has(name)) return Number(args[2]) > 0 ? args[3] : undefined;
  if (KEYLESS_COMMANDS.has(name)) return undefined;
  return args[1];
}

/** How a {@link ClusterClient} connects. */
interface ClusterClientOptions {
  /** The seed node, `redis://…` or `rediss://…` (credentials and TLS apply to every node). */
  readonly url: string;
  /** `commands` connects every master and fails fast while one is down; `subscriber` queues. */
  readonly role: 'commands' | 'subscriber';
  /** Delay before reconnect attempt `retries` (also between topology discoveries at start). */
  readonly reconnectDelay: (retries: number) => number;
  /** Client name of the node connections (`CLIENT LIST`). */
  readonly name: string;
}

/**
 * node-redis' cluster client (`createCluster`) behind the engine's {@link RedisClientLike}
 * (docs/scaling.md#rule-8-redis-cluster): commands are routed by their first key (a script's
 * first KEYS entry), sharded subscriptions go to their channel's shard, and the client reports
 * `ready` only while every master it uses is connected — the engine's outage handling (rule 6)
 * then works per cluster as it does for one Redis. It is also the engine's {@link ShardRouter}
 * (one batch per slot).
 */
export class ClusterClient extends EventEmitter implements RedisClientLike, ShardRouter {
  /** The node-redis cluster client itself (what rate-limiter-flexible takes). */
  readonly cluster: Cluster;
  readonly #role: ClusterClientOptions['role'];
  readonly #reconnectDelay: (retries: number) => number;
  #ready = false;
  #connecting: Promise<unknown> | undefined;
  #closed = false;
  #poll: ReturnType<typeof setInterval> | undefined;
  readonly #seenReady = new WeakSet<object>();

  constructor(options: ClusterClientOptions) {
    super();
    this.#role = options.role;
    this.#reconnectDelay = options.reconnectDelay;
    const url = new URL(options.url);
    const tls = url.protocol === 'rediss:';
    this.cluster = createCluster({
      rootNodes: [{ url: options.url }],
      minimizeConnections: options.role === 'subscriber',
      defaults: {
        name: options.name,
        ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
        ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
        disableOfflineQueue: options.role === 'commands',
        socket: {
          ...(tls ? { tls: true as const } : {}),
          reconnectStrategy: (retries: number) => options.reconnectDelay(retries),
        },
      },
    });
    this.cluster.on('error', (error: unknown) => {
      this.#update();
      this.emit('error', error);
    });
    for (const event of ['node-ready', 'node-reconnecting', 'node-error', 'node-disconnect']) {
      this.cluster.on(event, () => this.#update());
    }
  }

  get isOpen(): boolean {
    return !this.#closed && (this.cluster.isOpen || this.#connecting !== undefined);
  }

  /** Whether every master this client uses is connected now (computed, never stale). */
  get isReady(): boolean {
    if (this.#closed || !this.cluster.isOpen) return false;
    const masters = this.cluster.masters;
    if (masters.length === 0) return false;
    return masters.every((master) => {
      if (this.#role === 'commands') return master.client?.isReady === true;
      // A shard's subscriber connection opens with its first subscription: not yet ready then
      // is no outage; once it was ready, a loss is.
      const client = master.pubSub?.client;
      if (client === undefined) return true;
      if (client.isReady) {
        this.#seenReady.add(client);
        return true;
      }
      return !this.#seenReady.has(client);
    });
  }

  /** Connects, retrying the topology discovery until it succeeds or the client is closed. */
  connect(): Promise<unknown> {
    this.#connecting ??= (async () => {
      for (let attempt = 0; !this.#closed; attempt++) {
        try {
          await this.cluster.connect();
          break;
        } catch (error) {
          this.emit('error', error);
          await new Promise((resolve) => setTimeout(resolve, this.#reconnectDelay(attempt)));
        }
      }
      this.#poll ??= setInterval(() => this.#update(), 100);
      (this.#poll as { unref?: () => void }).unref?.();
      this.#update();
      return this;
    })();
    return this.#connecting;
  }

  sendCommand(args: readonly string[]): Promise<unknown> {
    return this.cluster.sendCommand(routingKey(args), false, [...args]);
  }

  /**
   * The batch group of a key: its slot. Redis 7.0 refuses a script whose declared keys span
   * slots (CROSSSLOT) even on one master, so a cluster's batches go one per slot.
   */
  shardOf(key: string): string {
    return String(keySlot(key));
  }

  duplicate(): RedisClientLike {
    throw new Error('a cluster client cannot be duplicated; give the engine a url');
  }

  // Subscriptions wait for the topology (a standalone client queues them offline instead).
  async SUBSCRIBE(channel: string, listener: MessageHandler): Promise<void> {
    await this.#connected();
    await this.cluster.subscribe(channel, listener);
  }

  async UNSUBSCRIBE(channel?: string, listener?: MessageHandler): Promise<void> {
    await this.#connected();
    await this.cluster.unsubscribe(channel, listener as never);
  }

  async SSUBSCRIBE(channel: string, listener: MessageHandler): Promise<void> {
    await this.#connected();
    await this.cluster.sSubscribe(channel, listener);
  }

  async SUNSUBSCRIBE(channel?: string, listener?: MessageHandler): Promise<void> {
    if (channel === undefined) return;
    await this.#connected();
    await this.cluster.sUnsubscribe(channel, listener);
  }

  async #connected(): Promise<void> {
    if (this.#closed) throw new Error('the cluster client is closed');
    await this.connect();
  }

  async close(): Promise<void> {
    this.#stop();
    if (this.cluster.isOpen) await this.cluster.close();
  }

  destroy(): void {
    this.#stop();
    if (this.cluster.isOpen) this.cluster.destroy();
  }

  #stop(): void {
    this.#closed = true;
    if (this.#poll !== undefined) clearInterval(this.#poll);
    this.#poll = undefined;
  }

  /** Emits `ready` / `reconnecting` when the computed readiness changes. */
  #update(): void {
    const ready = this.isReady;
    if (ready === this.#ready) return;
    this.#ready = ready;
    this.emit(ready ? 'ready' : 'reconnecting');
  }
}
