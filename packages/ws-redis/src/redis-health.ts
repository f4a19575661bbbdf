import type { Logger } from '@app/logging-ssot';
import type { EngineHealth } from '@app/ws-core';

/** The part of a node-redis client the health tracker watches. */
export interface WatchedClient {
  readonly isReady: boolean;
  on(event: 'ready' | 'error' | 'end' | 'reconnecting', listener: (arg?: unknown) => void): unknown;
  off(
    event: 'ready' | 'error' | 'end' | 'reconnecting',
    listener: (arg?: unknown) => void,
  ): unknown;
}

/** `starting` until both connections were ready once (or the first attempt failed). */
export type RedisState = 'starting' | 'up' | 'down' | 'closed';

type Waiter = { resolve: () => void; reject: (error: Error) => void };

/**
 * Whether Redis is reachable, from the events of the engine's two connections (commands and
 * subscriptions). Logs exactly one line per change of state — `down` when either connection is
 * lost, `up` when both are back — never one per event or per reconnect attempt
 * (docs/scaling.md#rule-6-outage). Also wakes whatever waits for the command connection (buffered appends).
 */
export class RedisHealth {
  #state: RedisState = 'starting';
  #downSince: number | undefined;
  #lastError = '';
  #commandWaiters: Waiter[] = [];
  #startupWaiters: Waiter[] = [];
  #upWaiters: Waiter[] = [];
  readonly #subscriberReadyHandlers: (() => void)[] = [];
  readonly #commandReadyHandlers: (() => void)[] = [];
  readonly #detach: (() => void)[] = [];

  constructor(
    private readonly command: WatchedClient,
    private readonly subscriber: WatchedClient,
    private readonly logger: Logger,
  ) {
    this.#watch(command, 'command');
    this.#watch(subscriber, 'subscriber');
  }

  get state(): RedisState {
    return this.#state;
  }

  /** Whether the command connection can take commands now. */
  get commandReady(): boolean {
    return this.#state !== 'closed' && this.command.isReady;
  }

  /** Milliseconds since Redis became unreachable, or 0. */
  get downForMs(): number {
    return this.#downSince === undefined ? 0 : Date.now() - this.#downSince;
  }

  /** The engine's `health()` answer (`extra` is appended to the detail). */
  report(extra: string): EngineHealth {
    switch (this.#state) {
      case 'up':
        return { ok: true, detail: `redis ready${extra}` };
      case 'starting':
        return { ok: false, detail: 'connecting to redis' };
      case 'closed':
        return { ok: false, detail: 'redis engine closed' };
      default:
        return {
          ok: false,
          detail: `redis unreachable for ${this.downForMs} ms (${this.#lastError || 'disconnected'})${extra}`,
        };
    }
  }

  /** Resolves once the command connection is ready (at once when it is); rejects on close. */
  whenCommandReady(): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new Error('closed'));
    if (this.command.isReady) return Promise.resolve();
    return new Promise((resolve, reject) => this.#commandWaiters.push({ resolve, reject }));
  }

  /**
   * While `starting`: resolves when both connections are ready, rejects when the first attempt
   * fails. Otherwise settles at once (resolves when up).
   */
  whenStarted(): Promise<void> {
    if (this.#state === 'up') return Promise.resolve();
    if (this.#state !== 'starting') return Promise.reject(new Error(this.#state));
    return new Promise((resolve, reject) => this.#startupWaiters.push({ resolve, reject }));
  }

  /** Resolves once both connections are ready (at once when they are); rejects on close. */
  whenUp(): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new Error('closed'));
    if (this.#state === 'up') return Promise.resolve();
    return new Promise((resolve, reject) => this.#upWaiters.push({ resolve, reject }));
  }

  /** Runs `handler` whenever the subscriber connection becomes ready again after a loss. */
  onSubscriberReconnected(handler: () => void): void {
    this.#subscriberReadyHandlers.push(handler);
  }

  /** Runs `handler` whenever the command connection becomes ready (first time included). */
  onCommandReady(handler: () => void): void {
    this.#commandReadyHandlers.push(handler);
  }

  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    for (const detach of this.#detach.splice(0)) detach();
    const error = new Error('closed');
    const waiters = [
      ...this.#commandWaiters.splice(0),
      ...this.#startupWaiters.splice(0),
      ...this.#upWaiters.splice(0),
    ];
    for (const waiter of waiters) waiter.reject(error);
  }

  #watch(client: WatchedClient, role: 'command' | 'subscriber'): void {
    let wasReady = false;
    let lostOnce = false;
    const onReady = (): void => {
      if (this.#state === 'closed') return;
      if (role === 'command') {
        for (const waiter of this.#commandWaiters.splice(0)) waiter.resolve();
        for (const handler of this.#commandReadyHandlers) handler();
      } else if (lostOnce) {
        for (const handler of this.#subscriberReadyHandlers) handler();
      }
      wasReady = true;
      this.#update();
    };
    const onLoss = (error?: unknown): void => {
      if (this.#state === 'closed') return;
      if (error instanceof Error) this.#lastError = error.message;
      if (wasReady && !client.isReady) lostOnce = true;
      this.#update(true);
    };
    const onError = (error?: unknown): void => onLoss(error);
    const onEnd = (): void => onLoss();
    const onReconnecting = (): void => onLoss();
    client.on('ready', onReady);
    client.on('error', onError);
    client.on('end', onEnd);
    client.on('reconnecting', onReconnecting);
    this.#detach.push(() => {
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('end', onEnd);
      client.off('reconnecting', onReconnecting);
    });
    if (client.isReady) wasReady = true;
  }

  #update(failure = false): void {
    const up = this.command.isReady && this.subscriber.isReady;
    const previous = this.#state;
    if (up && previous !== 'up') {
      this.#state = 'up';
      if (previous === 'down') {
        this.logger.warn('Redis reachable again', { downMs: this.downForMs });
      } else {
        this.logger.info('Redis connected');
      }
      this.#downSince = undefined;
      for (const waiter of this.#startupWaiters.splice(0)) waiter.resolve();
      for (const waiter of this.#upWaiters.splice(0)) waiter.resolve();
    } else if (!up && failure && (previous === 'up' || previous === 'starting')) {
      this.#state = 'down';
      this.#downSince = Date.now();
      this.logger.error('Redis unreachable; buffering appends until it is back', {
        error: this.#lastError || 'disconnected',
      });
      const error = new Error(this.#lastError || 'Redis unreachable');
      for (const waiter of this.#startupWaiters.splice(0)) waiter.reject(error);
    }
  }
}
