import { createLogger, type Logger } from '@app/logging-ssot';
import { CLOSE_CODES } from '@app/ws-protocol';
import { AgentRegistry } from './agent-registry';
import { BoundedHooks } from './bounded-hook';
import { ChatEventMonitor } from './event-monitor';
import { FailureLatch } from './failure-latch';
import { type HubOptions, type ResolvedHubSettings, resolveHubSettings } from './hub-settings';
import { constructManager, type ManagerServices, type WebSocketManager } from './manager';
import { ManagerRegistry } from './manager-registry';
import { createMemoryEngine } from './memory-engine';
import { PendingChats } from './pending-chats';
import { resolveRetention } from './retention-settings';
import type { RunSupervisor } from './run-supervisor';
import type { ControlMessage, StreamEngine } from './stream-engine';
import { unrefInterval, unrefTimeout } from './timers';
import { assertUserContext, type UserContext } from './user-context';
import { UserRateLimiter } from './user-rate-limiter';

/** Counts of a hub, for health output and tests. */
export interface HubStats {
  /** Managers held (users with a connection, a run, or seen within idleTtlMs). */
  readonly managers: number;
  /** Open connections on this node. */
  readonly connections: number;
  /** Runs in progress on this node. */
  readonly activeRuns: number;
}

/**
 * Everything one WebSocket endpoint shares: the registry of per-user managers, the stream
 * engine, limits, agents, the event monitor, the rate limiter and the logger. Several hubs can
 * live in one process (tests do); `getWebSocketManager(ctx)` without a hub uses a default one.
 */
export interface WebSocketHub {
  /** Names this node (`welcome.serverId`, logs, run leases). */
  readonly serverId: string;
  readonly engine: StreamEngine;
  /** Agents by name: `register(agent)`, `get(name)`, `list()`. */
  readonly agents: AgentRegistry;
  readonly monitor: ChatEventMonitor;
  /** Per-user inbound message limit, for the route: `consume(userId)`. */
  readonly rateLimiter: UserRateLimiter;
  /** The options with every default filled in. */
  readonly settings: ResolvedHubSettings;
  /** True once `drain` or `close` began: new chats and runs get `ShuttingDownError`. */
  readonly isShuttingDown: boolean;
  /** True once `close` began. */
  readonly isClosed: boolean;
  /**
   * The user's manager (same as `getWebSocketManager(ctx, hub)`).
   * @throws UserContextRequiredError, InvalidUserContextError.
   */
  getManager(context: UserContext): WebSocketManager;
  stats(): HubStats;
  /**
   * Shutdown, step by step (docs/server.md#shutdown): new chats and runs are refused with
   * `ShuttingDownError`; running runs get up to `graceMs` to end; the rest are cancelled
   * (`agent_completed` `cancelled`); resolves once their terminal events were delivered.
   */
  drain(graceMs: number): Promise<void>;
  /**
   * Drains with no grace if runs remain, closes the remaining connections with 1001, stops
   * timers and subscriptions, and closes the engine when the hub created it. Idempotent.
   */
  close(): Promise<void>;
}

/** How long drain waits for a terminal event to reach the connections. */
const DELIVERY_WAIT_MS = 2000;

class Hub implements WebSocketHub {
  readonly serverId: string;
  readonly engine: StreamEngine;
  readonly agents: AgentRegistry;
  readonly monitor: ChatEventMonitor;
  readonly rateLimiter: UserRateLimiter;
  readonly settings: ResolvedHubSettings;
  readonly #logger: Logger;
  /** This node's runs in progress, by run id. */
  readonly #runs = new Map<string, RunSupervisor>();
  readonly #registry: ManagerRegistry;
  readonly #ownsEngine: boolean;
  readonly #leaseKeeper: ReturnType<typeof setInterval>;
  readonly #stopControl: () => void;
  readonly #renewalLog: FailureLatch;
  #shuttingDown = false;
  #closed: Promise<void> | undefined;

  constructor(options: HubOptions) {
    this.#ownsEngine = options.engine === undefined;
    this.engine = options.engine ?? createMemoryEngine({ retention: options.retention });
    this.settings = resolveHubSettings(
      options,
      options.engine === undefined ? resolveRetention(options.retention) : this.engine.retention,
    );
    this.serverId = this.settings.serverId;
    const settings = this.settings;
    const logger = options.logger ?? createLogger('ws-core');
    this.#logger = logger;
    this.agents = new AgentRegistry(options.agents);
    this.monitor = new ChatEventMonitor({ registry: options.metricsRegistry, logger });
    this.rateLimiter = new UserRateLimiter({
      perSecond: settings.rateLimit.perSecond,
      burst: settings.rateLimit.burst,
      store: options.rateLimit?.store,
      logger,
    });
    const hooks = new BoundedHooks(options.hooks ?? {}, settings.hookTimeoutMs);
    const services: ManagerServices = {
      engine: this.engine,
      settings,
      monitor: this.monitor,
      logger,
      agents: this.agents,
      pendingChats: new PendingChats(),
      hooks,
      slots: {
        engine: this.engine,
        maxConnectionsPerUser: settings.limits.maxConnectionsPerUser,
        leaseTtlMs: settings.leaseTtlMs,
      },
      runs: {
        engine: this.engine,
        monitor: this.monitor,
        hooks,
        maxEventBytes: settings.limits.maxEventBytes,
        maxRunEvents: settings.limits.maxRunEvents,
        maxRunBytes: settings.limits.maxRunBytes,
        stallTimeoutMs: settings.stallTimeoutMs,
        leaseTtlMs: settings.leaseTtlMs,
      },
      nodeRuns: this.#runs,
      directory: {
        get: (context) => this.#registry.get(context),
        markIdle: (manager) => this.#registry.markIdle(manager),
        markBusy: (manager) => this.#registry.markBusy(manager),
      },
      isShuttingDown: () => this.#shuttingDown,
    };
    this.#registry = new ManagerRegistry(
      (context) => constructManager(services, context),
      settings.idleTtlMs,
    );
    this.#renewalLog = new FailureLatch(logger, 'Lease renewals');
    this.#stopControl = this.engine.onControl((message) => this.#onControl(message));
    this.#leaseKeeper = unrefInterval(() => this.#renewLeases(), this.settings.leaseTtlMs / 3);
  }

  get isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  get isClosed(): boolean {
    return this.#closed !== undefined;
  }

  getManager(context: UserContext): WebSocketManager {
    assertUserContext(context);
    return this.#registry.get(context);
  }

  stats(): HubStats {
    let connections = 0;
    for (const manager of this.#registry.values()) connections += manager.connectionCount;
    return { managers: this.#registry.size, connections, activeRuns: this.#runs.size };
  }

  async drain(graceMs: number): Promise<void> {
    this.#shuttingDown = true;
    const ended: RunSupervisor[] = [];
    const settle = async (runs: RunSupervisor[]): Promise<void> => {
      ended.push(...runs);
      await Promise.all(runs.map((run) => run.finished));
    };
    if (this.#runs.size > 0 && graceMs > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        settle([...this.#runs.values()]),
        new Promise<void>((resolve) => (timer = unrefTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    // Runs whose setup was already under way when draining began may appear late: loop.
    for (let round = 0; this.#runs.size > 0 && round < 10; round++) {
      const remaining = [...this.#runs.values()];
      this.#logger.info('Cancelling runs for shutdown', { runs: remaining.length });
      for (const run of remaining) run.cancel('shutdown');
      await settle(remaining);
    }
    await Promise.all(
      ended.map(
        (run) =>
          this.#registry.peek(run.userId)?.whenDelivered(run.lastSeq, DELIVERY_WAIT_MS) ??
          Promise.resolve(),
      ),
    );
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#shuttingDown = true;
    if (this.#runs.size > 0) await this.drain(0);
    clearInterval(this.#leaseKeeper);
    this.#stopControl();
    for (const manager of this.#registry.values()) {
      manager.closeAllConnections(CLOSE_CODES.GOING_AWAY, 'server shutting down');
    }
    await this.#registry.clear();
    if (this.#ownsEngine) await this.engine.close();
    this.#logger.debug('Hub closed', { serverId: this.serverId });
  }

  #onControl(message: ControlMessage): void {
    if (message.type !== 'cancel_run') return;
    const run = this.#runs.get(message.runId);
    if (run !== undefined && run.userId === message.userId) run.cancel('cancel');
  }

  /**
   * One tick of the lease keeper: renews this node's run leases and connection slots, then tells
   * the latch how the tick went, so an engine outage is logged once, not per lease per tick.
   */
  #renewLeases(): void {
    const { engine, settings } = this;
    const renewals: Promise<unknown>[] = [];
    for (const run of this.#runs.values()) renewals.push(run.renewLease());
    for (const manager of this.#registry.values()) {
      for (const connection of manager.connections) {
        renewals.push(
          engine.renewConnectionSlot(manager.userId, connection.id, settings.leaseTtlMs),
        );
      }
    }
    if (renewals.length === 0) return;
    void Promise.allSettled(renewals).then((outcomes) => {
      let failed = 0;
      let error: unknown;
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') continue;
        if (failed++ === 0) error = outcome.reason;
      }
      this.#renewalLog.record({ attempted: outcomes.length, failed, error });
    });
  }
}

/**
 * Creates a hub. See {@link HubOptions} for every option and its default (in-memory engine,
 * retention 1000 events / 300000 ms, 10 connections and 3 runs per user, 1 MiB outbound bound,
 * 64 KiB events, 20 msg/s burst 40, stall 30 s, idle TTL 60 s, idempotency 5 min, hooks 2 s).
 * @throws RangeError for a non-positive number in the options.
 */
export function createWebSocketHub(options: HubOptions = {}): WebSocketHub {
  return new Hub(options);
}
