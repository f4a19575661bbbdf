import { randomBytes } from 'node:crypto';
import { createLogger, type Logger } from '@app/logging-ssot';
import {
  type AppendOptions,
  type AppendResult,
  type ChatId,
  type ControlMessage,
  EventEncoder,
  EngineUnavailableError,
  type EngineHealth,
  type ReadSinceResult,
  type RetentionSettings,
  RunFencedError,
  type RunAdmission,
  type RunAdmissionResult,
  type RunClaimInfo,
  type RunLease,
  type StreamEngine,
  type StreamListener,
  type StreamSnapshot,
  type StreamSubscription,
  WsCoreError,
} from '@app/ws-core';
import type { UnsequencedEvent } from '@app/ws-protocol';
import { AppendQueue } from './append-queue';
import { ConnectionSlots } from './connection-slots';
import { ControlChannel } from './control-channel';
import { FanoutSubscriber } from './fanout-subscriber';
import { OrphanRunReaper } from './orphan-run-reaper';
import { PubSubModeChoice } from './pubsub-mode-choice';
import { StreamCheck } from './stream-check';
import { NodeBatch } from './node-batch';
import { inFlightTtlMs, StreamCommands } from './stream-commands';
import type { RedisClientLike } from './redis-client';
import { RedisConnections } from './redis-connections';
import {
  type RedisEngineOptions,
  type ResolvedRedisEngineOptions,
  resolveRedisEngineOptions,
} from './redis-engine-options';
import { RedisHealth } from './redis-health';
import { RunAdmissions } from './run-admission';
import { RunLeaseStore } from './run-lease-store';
import { createStreamKeys, keyPart, type StreamKeys } from './stream-keys';

/**
 * The {@link StreamEngine} over Redis, for several nodes behind any load balancer. Per user: a
 * Redis Stream of the retained events with a meta hash (epoch, latest seq), a pub/sub channel of
 * live events, run leases with fencing and connection slots; one control channel and one index
 * of run deadlines for everyone. See the package README for the rules each part keeps.
 */
export class RedisStreamEngine implements StreamEngine {
  readonly kind = 'redis';
  readonly retention: RetentionSettings;
  readonly serverId: string;
  /** The key and channel names (for operators and tests). */
  readonly keys: StreamKeys;
  readonly #options: ResolvedRedisEngineOptions;
  /** The wire encoder of this engine's events (keeps its own small cache). */
  readonly #encoder = new EventEncoder();
  readonly #logger: Logger;
  readonly #connections: RedisConnections;
  readonly #command: RedisClientLike;
  readonly #health: RedisHealth;
  readonly #streams: StreamCommands;
  readonly #pubsub: PubSubModeChoice;
  readonly #appends: AppendQueue;
  readonly #fanout: FanoutSubscriber;
  readonly #control: ControlChannel;
  readonly #controlSubscribed: Promise<void>;
  readonly #batch: NodeBatch;
  readonly #leases: RunLeaseStore;
  readonly #admissions: RunAdmissions;
  readonly #slots: ConnectionSlots;
  readonly #reaper: OrphanRunReaper;
  readonly #streamCheck: StreamCheck;
  #closing: Promise<void> | undefined;

  constructor(options: RedisEngineOptions) {
    const resolved = resolveRedisEngineOptions(options);
    this.#options = resolved;
    this.retention = resolved.retention;
    this.serverId = resolved.serverId;
    this.keys = createStreamKeys(resolved.keyPrefix);
    this.#logger = (options.logger ?? createLogger('ws-redis')).child({ serverId: this.serverId });
    this.#connections = new RedisConnections(
      resolved.source,
      resolved.reconnect,
      `ws-redis:${keyPart(this.serverId)}`,
    );
    this.#command = this.#connections.command;
    this.#health = new RedisHealth(this.#command, this.#connections.subscriber, this.#logger);
    this.#streams = new StreamCommands(this.#command, this.keys, this.retention, this.serverId);
    this.#pubsub = new PubSubModeChoice(
      resolved.pubsub,
      this.#command,
      this.#health,
      this.#logger,
      () => this.#closing !== undefined,
    );
    this.#appends = new AppendQueue(
      resolved.outageBuffer,
      this.#health,
      this.#logger,
      resolved.retryAfterMs,
    );
    this.#fanout = new FanoutSubscriber({
      subscriber: this.#connections.subscriber,
      keys: this.keys,
      logger: this.#logger,
      reader: {
        position: (userId) => this.position(userId),
        readSince: (userId, afterSeq, epoch) => this.readSince(userId, afterSeq, epoch),
        whenReadable: () => this.#health.whenCommandReady(),
      },
      mode: () => this.#pubsub.mode(),
      ensureUsable: () => this.#ensureUsable(),
    });
    this.#control = new ControlChannel(
      this.keys.controlChannels,
      (userId) => this.keys.control(userId),
      this.#logger,
    );
    this.#batch = new NodeBatch(this.#command, this.#connections.router, this.#connections.cluster);
    this.#leases = new RunLeaseStore(
      this.#command,
      this.keys,
      this.#batch,
      inFlightTtlMs(this.retention),
    );
    this.#slots = new ConnectionSlots(this.#command, this.keys, this.#batch);
    this.#admissions = new RunAdmissions(this.#command, this.keys, this.#leases);
    this.#reaper = new OrphanRunReaper({
      leases: this.#leases,
      serverId: this.serverId,
      logger: this.#logger,
      append: (userId, event, appendOptions) => this.append(userId, event, appendOptions),
      isUsable: () => this.#health.commandReady,
      takeoverTtlMs: resolved.takeoverTtlMs,
      batchSize: 100,
    });
    this.#health.onSubscriberReconnected(() => this.#fanout.resyncAll());

    this.#connections.start();
    this.#controlSubscribed = this.#pubsub
      .mode()
      .then((mode) => this.#control.subscribe(this.#connections.subscriber, mode));
    this.#controlSubscribed.catch((error: unknown) => {
      if (this.#closing === undefined) {
        this.#logger.error('Subscribing to the control channel failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    });
    void this.#pubsub.mode().catch(() => undefined);
    this.#reaper.start(resolved.reaperIntervalMs);
    this.#streamCheck = new StreamCheck({
      batch: this.#batch,
      keys: this.keys,
      fanout: this.#fanout,
      maxAgeMs: this.retention.maxAgeMs,
      isUsable: () => this.#health.commandReady,
    });
    this.#streamCheck.start(resolved.streamCheckIntervalMs);
  }

  /**
   * The connection that carries the engine's commands, to share with the ticket and rate-limiter
   * stores (`createRedisTicketStore(engine.commandClient)`). Closed with the engine when the
   * engine opened it (from `url`). Do not subscribe on it.
   */
  get commandClient(): RedisClientLike {
    return this.#command;
  }

  /** Synchronous `health().ok`: both connections are up (for a route's `isReady`). */
  get healthy(): boolean {
    return this.#closing === undefined && this.#health.state === 'up';
  }

  /**
   * Resolves once Redis is reachable and this node listens to the control channel. Optional:
   * every method also works (or fails with `EngineUnavailableError`) before. Rejects on close.
   */
  async ready(): Promise<void> {
    try {
      await this.#health.whenUp();
      await this.#controlSubscribed;
      await this.#pubsub.mode();
    } catch (error) {
      throw this.#unavailable('The Redis engine closed before it was ready.', error);
    }
  }

  append(userId: string, event: UnsequencedEvent, options?: AppendOptions): Promise<AppendResult> {
    if (this.#closing !== undefined)
      return Promise.reject(this.#unavailable('The Redis engine is closed.'));
    const lease = options?.lease;
    if (lease !== undefined && (lease.userId !== userId || lease.runId !== event.runId)) {
      return Promise.reject(new RunFencedError(event.runId));
    }
    const parts = this.#encoder.parts(event, options?.payloadJson);
    const appendId = randomBytes(9).toString('base64url');
    const attempt = async (): Promise<AppendResult> => {
      const mode = await this.#pubsub.mode();
      const terminal = options?.terminal === true;
      const record = await this.#streams.append(userId, event, parts, {
        mode,
        lease,
        terminal,
        appendId,
      });
      this.#fanout.offerLocal(userId, record.epoch, record);
      if (terminal && lease !== undefined) {
        this.#leases.ended(userId, lease.runId, this.retention.maxAgeMs * 2);
      }
      return record;
    };
    return this.#appends.enqueue(userId, parts.head.length + parts.tail.length, attempt);
  }

  position(userId: string): Promise<StreamSnapshot> {
    return this.#call(() => this.#streams.position(userId));
  }

  readSince(userId: string, afterSeq: number, epoch?: string): Promise<ReadSinceResult> {
    return this.#call(() => this.#streams.readSince(userId, afterSeq, epoch));
  }

  subscribe(userId: string, listener: StreamListener): Promise<StreamSubscription> {
    if (this.#closing !== undefined)
      return Promise.reject(this.#unavailable('The Redis engine is closed.'));
    return this.#fanout.subscribe(userId, listener).catch((error: unknown) => {
      throw error instanceof WsCoreError ? error : this.#unavailable('Subscribing failed.', error);
    });
  }

  claimRun(
    userId: string,
    runId: string,
    ownerId: string,
    ttlMs: number,
    run?: RunClaimInfo,
  ): Promise<RunLease | undefined> {
    return this.#call(() => this.#leases.claim(userId, runId, ownerId, ttlMs, run));
  }

  renewRun(lease: RunLease, ttlMs: number): Promise<boolean> {
    return this.#call(() => this.#leases.renew(lease, ttlMs));
  }

  releaseRun(lease: RunLease): Promise<void> {
    return this.#call(() => this.#leases.release(lease));
  }

  admitRun(admission: RunAdmission): Promise<RunAdmissionResult> {
    return this.#call(() => this.#admissions.admit(admission));
  }

  forgetChat(userId: string, chatId: ChatId, runId: string): Promise<void> {
    return this.#call(() => this.#admissions.forget(userId, chatId, runId));
  }

  findRun(userId: string, runId: string): Promise<{ ownerId: string } | undefined> {
    return this.#call(() => this.#leases.find(userId, runId));
  }

  publishControl(message: ControlMessage): Promise<void> {
    return this.#call(async () =>
      this.#control.publish(this.#command, message, await this.#pubsub.mode()),
    );
  }

  onControl(listener: (message: ControlMessage) => void): () => void {
    return this.#control.listen(listener);
  }

  acquireConnectionSlot(
    userId: string,
    connectionId: string,
    max: number,
    ttlMs: number,
  ): Promise<boolean> {
    return this.#call(() => this.#slots.acquire(userId, connectionId, max, ttlMs));
  }

  renewConnectionSlot(userId: string, connectionId: string, ttlMs: number): Promise<void> {
    return this.#call(() => this.#slots.renew(userId, connectionId, ttlMs));
  }

  releaseConnectionSlot(userId: string, connectionId: string): Promise<void> {
    return this.#call(() => this.#slots.release(userId, connectionId));
  }

  countConnections(userId: string): Promise<number> {
    return this.#call(() => this.#slots.count(userId));
  }

  health(): Promise<EngineHealth> {
    if (this.#closing !== undefined)
      return Promise.resolve({ ok: false, detail: 'redis engine closed' });
    const known = this.#pubsub.known;
    const mode = known === undefined ? '' : `, ${known} pub/sub`;
    const extra = `${mode}, ${this.#fanout.userCount} users subscribed, ${this.#appends.size} appends waiting`;
    return Promise.resolve(this.#health.report(extra));
  }

  /**
   * Ends the runs whose lease expired, now, instead of at the next reaper tick (for tests and
   * operators). Resolves with how many runs this node ended.
   */
  reapOrphanedRuns(): Promise<number> {
    return this.#reaper.tick();
  }

  /** Stops the timers and subscriptions and closes the connections it owns. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#reaper.stop();
      this.#streamCheck.stop();
      this.#appends.close();
      this.#batch.close(this.#unavailable('The Redis engine is closed.'));
      this.#control.close();
      this.#fanout.close();
      this.#health.close();
      await this.#connections.close();
    })();
    return this.#closing;
  }

  /** Throws `EngineUnavailableError` unless commands can be sent now (waits while starting). */
  async #ensureUsable(): Promise<void> {
    if (this.#closing !== undefined) throw this.#unavailable('The Redis engine is closed.');
    if (this.#health.commandReady) return;
    if (this.#health.state === 'starting') {
      try {
        await this.#health.whenStarted();
        return;
      } catch {
        // Fall through: the first connection attempt failed.
      }
    }
    throw this.#unavailable('Redis is unreachable.');
  }

  async #call<T>(operation: () => Promise<T>): Promise<T> {
    await this.#ensureUsable();
    try {
      return await operation();
    } catch (error) {
      if (error instanceof WsCoreError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw this.#unavailable(`Redis command failed: ${reason}`, error);
    }
  }

  #unavailable(message: string, cause?: unknown): EngineUnavailableError {
    return new EngineUnavailableError(message, this.#options.retryAfterMs, cause);
  }
}

/**
 * Creates the Redis stream engine and starts connecting in the background (a Redis that is down
 * at start is retried like any outage: `health()` is not ok meanwhile). `await engine.ready()`
 * to wait for it.
 * @param options `url` or `client`, `serverId`, and the optional settings of
 *   {@link RedisEngineOptions} with their defaults.
 * @throws RedisConfigError (`WS_REDIS_CONFIG`) for invalid options.
 */
export function createRedisEngine(options: RedisEngineOptions): RedisStreamEngine {
  return new RedisStreamEngine(options);
}
