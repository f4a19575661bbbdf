import { type Logger, withLogContext } from '@app/logging-ssot';
import { CLOSE_CODES } from '@app/ws-protocol';
import type { AgentRegistry } from './agent-registry';
import type { BoundedHooks } from './bounded-hook';
import { Connection, type ConnectionHandle, type ConnectOptions } from './connection';
import { ConnectionSlots, type ConnectionSlotServices } from './connection-slots';
import { FactoryBypassError, InvalidInputError, RunFencedError, ShuttingDownError } from './errors';
import type { ChatEventMonitor } from './event-monitor';
import type { ResolvedHubSettings } from './hub-settings';
import {
  assertChatFits,
  assertChatText,
  resolveAgent,
  resolvePreferredRunId,
  resolveThreadId,
  type ChatInput,
  type ChatResult,
  type StartRunInput,
} from './manager-input';
import type { PendingChats } from './pending-chats';
import { randomId } from './random-id';
import type { RunEmitter } from './run-emitter';
import type { RunServices, RunSupervisor } from './run-supervisor';
import type { RunLease, StreamEngine } from './stream-engine';
import type { Transport } from './transport';
import type { UserContext } from './user-context';
import { appendUserMessage } from './user-message';
import { UserRuns } from './user-runs';
import { UserSubscription } from './user-subscription';

/** Passed by the registry: nothing else can construct a manager. */
const FACTORY_TOKEN: unique symbol = Symbol('@app/ws-core/manager-factory');

/** Where a manager's calls go once it was evicted, and whom it tells that it is idle. @internal */
interface ManagerDirectory {
  /** The user's current manager (a fresh one when the given one was evicted). */
  get(context: UserContext): WebSocketManager;
  /** The manager has no connection and no run: start its idle countdown. */
  markIdle(manager: WebSocketManager): void;
  /** The manager has a connection or a run again. */
  markBusy(manager: WebSocketManager): void;
}

/** What a hub gives each of its managers, one object shared by all of them. @internal */
export interface ManagerServices {
  readonly engine: StreamEngine;
  readonly settings: ResolvedHubSettings;
  readonly monitor: ChatEventMonitor;
  readonly logger: Logger;
  readonly agents: AgentRegistry;
  /** This node's chats being set up, by client id (the engine remembers them once admitted). */
  readonly pendingChats: PendingChats;
  readonly hooks: BoundedHooks;
  readonly slots: ConnectionSlotServices;
  readonly runs: RunServices;
  /** This node's runs in progress, by run id. */
  readonly nodeRuns: Map<string, RunSupervisor>;
  readonly directory: ManagerDirectory;
  /** True once the hub began to drain or close: new chats and runs are refused. */
  isShuttingDown(): boolean;
}

interface ManagerInit {
  readonly services: ManagerServices;
  readonly context: UserContext;
}

/**
 * A connection slot held for one connection that is about to be registered (the route takes it
 * before the WebSocket handshake, so a user past `maxConnectionsPerUser` is refused with HTTP
 * 429). `connect` registers the connection in that slot; `release` gives the slot back when no
 * connection will come (idempotent, and harmless after `connect`'s connection closed).
 */
export interface ConnectionReservation {
  /** The id the connection will carry. */
  readonly connectionId: string;
  /** `manager.connect(transport, options)` with the reserved slot and id. */
  connect(
    transport: Transport,
    options: Omit<ConnectOptions, 'connectionId'>,
  ): Promise<ConnectionHandle>;
  release(): void;
}

/**
 * One user's WebSocket manager: their connections, their runs and their `chat` messages. There
 * is exactly one per user per hub, from `getWebSocketManager(userContext)` or
 * `hub.getManager(userContext)`; `new WebSocketManager()` throws `FactoryBypassError`. A manager
 * without connections and runs is evicted after the hub's `idleTtlMs`; the user's stream lives
 * in the engine and is not affected. Calls on an evicted manager go to the user's current one.
 */
export class WebSocketManager {
  /** The user this manager serves. */
  readonly userId: string;
  /** The context the manager was first requested with. */
  readonly context: UserContext;
  readonly #services: ManagerServices;
  readonly #logger: Logger;
  #connections: readonly Connection[] = [];
  readonly #slots: ConnectionSlots;
  readonly #runs: UserRuns;
  /** Calls in progress that must keep the manager from eviction. */
  #pending = 0;
  readonly #subscription: UserSubscription;
  #evicted = false;

  /**
   * Not for direct use: always throws `FactoryBypassError` (`WS_FACTORY_BYPASS`) when called
   * from outside the factory. Use `getWebSocketManager(userContext)`.
   */
  constructor(token?: unknown, init?: unknown) {
    if (token !== FACTORY_TOKEN || init === undefined) throw new FactoryBypassError();
    const { services, context } = init as ManagerInit;
    this.#services = services;
    this.context = context;
    this.userId = context.userId;
    this.#logger = services.logger.child({ userId: this.userId });
    this.#slots = new ConnectionSlots(services.slots, this.userId, this.#logger);
    this.#runs = new UserRuns({
      services: services.runs,
      nodeRuns: services.nodeRuns,
      serverId: services.settings.serverId,
      maxRunsPerUser: services.settings.limits.maxRunsPerUser,
      chatIdTtlMs: services.settings.chatIdempotencyMs,
      userId: this.userId,
      logger: this.#logger,
      onRunEnded: () => this.#checkIdle(),
    });
    this.#subscription = new UserSubscription(services.engine, this.userId, this.#logger, {
      deliver: (record) => {
        const connections = this.#connections;
        for (let i = 0; i < connections.length; i++) connections[i]!.deliver(record);
      },
      reset: (epoch) => {
        this.#logger.warn('Stream reset; closing the user’s connections with 1011', { epoch });
        this.closeAllConnections(CLOSE_CODES.INTERNAL_ERROR, 'stream reset');
      },
    });
  }

  /** Open connections of this user on this node. */
  get connectionCount(): number {
    return this.#connections.length;
  }

  /** Runs of this user in progress on this node (including runs being started). */
  get activeRunCount(): number {
    return this.#runs.activeCount;
  }

  /** True when evicted (its calls are forwarded to the user's current manager). */
  get isEvicted(): boolean {
    return this.#evicted;
  }

  /** No connection, no run, no call in progress. @internal */
  get isIdle(): boolean {
    return this.#connections.length === 0 && this.#runs.activeCount === 0 && this.#pending === 0;
  }

  /**
   * Registers a transport: sends `welcome` (unless `sendWelcome: false` or `encode` drops it),
   * then the connect-time resume of docs/protocol.md#resume-at-connect-time when `resume` is given, then live events.
   * @throws ConnectionLimitError (`WS_CONNECTION_LIMIT`) past `maxConnectionsPerUser`.
   * @throws EngineUnavailableError when the stream engine cannot serve.
   */
  async connect(transport: Transport, options: ConnectOptions): Promise<ConnectionHandle> {
    const current = this.#current();
    if (current !== this) return current.connect(transport, options);
    const { engine, settings, monitor } = this.#services;
    const connectionId = options.connectionId ?? randomId('c_');
    this.#enter();
    try {
      await this.#slots.acquire(connectionId);
      let connection: Connection | undefined;
      try {
        await this.#subscription.ensure();
        connection = new Connection({
          id: connectionId,
          userId: this.userId,
          transport,
          engine,
          monitor,
          outboundLimitBytes: settings.limits.outboundLimitBytes,
          encode: options.encode,
          onClosed: (closed) => this.#removeConnection(closed),
        });
        this.#connections = [...this.#connections, connection];
        monitor.connectionOpened();
        const opened = connection;
        await withLogContext({ userId: this.userId, connectionId }, () =>
          opened.open(
            {
              heartbeatMs: options.heartbeatMs,
              serverId: settings.serverId,
              resumeWindow: settings.retention,
            },
            options.resume,
            options.sendWelcome !== false,
          ),
        );
        this.#logger.debug('Connection registered', { connectionId });
        return connection;
      } catch (error) {
        if (connection === undefined) this.#slots.release(connectionId);
        else connection.closeWith(CLOSE_CODES.INTERNAL_ERROR, 'connect failed');
        throw error;
      }
    } finally {
      this.#leave();
    }
  }

  /**
   * Takes a connection slot now, for a connection registered later with the reservation's
   * `connect` (or given back with its `release`).
   * @param connectionId Default: `c_` + random.
   * @throws ConnectionLimitError (`WS_CONNECTION_LIMIT`) past `maxConnectionsPerUser`.
   * @throws EngineUnavailableError when the stream engine cannot serve.
   */
  async reserveConnection(connectionId = randomId('c_')): Promise<ConnectionReservation> {
    const current = this.#current();
    if (current !== this) return current.reserveConnection(connectionId);
    this.#enter();
    try {
      await this.#slots.acquire(connectionId);
    } finally {
      this.#leave();
    }
    return {
      connectionId,
      connect: (transport, options) => this.connect(transport, { ...options, connectionId }),
      release: () => this.#slots.release(connectionId),
    };
  }

  /** Whether one more connection fits under `maxConnectionsPerUser` (across nodes) right now. */
  hasConnectionCapacity(): Promise<boolean> {
    return this.#slots.hasCapacity();
  }

  /**
   * A `chat` message: appends `user_message` (payload `{messageId, text}`, with the run's id),
   * then runs the agent (default: the hub's default agent) in the background. Idempotent per
   * `clientMessageId` for `chatIdempotencyMs` on every node of the engine (the same ack, no
   * second run), and `maxRunsPerUser` counts the user's runs on every node: both are decided by
   * the engine's `admitRun`, atomically with the run's lease. Resolves once the run has started.
   * @throws UnknownAgentError (`unknown_agent`), TooManyRunsError (`too_many_runs`),
   *   ShuttingDownError (`unavailable`), InvalidInputError (`invalid_message`),
   *   EngineUnavailableError (`unavailable`).
   */
  async chat(input: ChatInput): Promise<ChatResult> {
    const current = this.#current();
    if (current !== this) return current.chat(input);
    const services = this.#services;
    if (services.isShuttingDown()) throw new ShuttingDownError();
    const { text, clientMessageId } = input;
    assertChatText(text);
    if (clientMessageId !== undefined) {
      // The same id being set up on this node: share its outcome (error included).
      const earlier = services.pendingChats.get(this.userId, clientMessageId);
      if (earlier !== undefined) {
        const ack = await earlier;
        input.onAccepted?.(ack);
        return ack;
      }
    }
    const agent = resolveAgent(services.agents, input.agent, services.settings.defaultAgent);
    const threadId = resolveThreadId(input.threadId);
    const preferredRunId = resolvePreferredRunId(input.runId);
    const newRunId = randomId('r_');
    const limit = services.settings.limits.maxEventBytes;
    assertChatFits(newRunId, threadId, agent.name, text, limit);
    if (preferredRunId !== undefined) {
      assertChatFits(preferredRunId, threadId, agent.name, text, limit);
    }
    const runIds = preferredRunId === undefined ? [newRunId] : [preferredRunId, newRunId];
    const pending = services.pendingChats.track(this.userId, clientMessageId);
    this.#enter();
    let run: RunSupervisor | undefined;
    let lease: RunLease | undefined;
    try {
      // The engine answers a chat id seen on any node with its ack, before any hook runs.
      const admitted = await this.#runs.admit(runIds, threadId, agent.name, clientMessageId);
      if (admitted.kind === 'duplicate') {
        pending.resolve(admitted.ack);
        input.onAccepted?.(admitted.ack);
        return admitted.ack;
      }
      lease = admitted.lease;
      await services.hooks.admitChat(
        { userId: this.userId, threadId, threadIdGiven: input.threadId !== undefined },
        this.#logger,
      );
      const runId = lease.runId;
      const ack: ChatResult = Object.freeze({ runId, threadId });
      input.onAccepted?.(ack);
      await appendUserMessage(
        services.engine,
        services.hooks,
        { userId: this.userId, runId, threadId, text, lease },
        this.#logger,
      );
      run = this.#runs.create(runId, threadId, agent.name, text, lease);
      await run.start();
      run.runAgent(agent);
      pending.resolve(ack);
      return ack;
    } catch (error) {
      if (lease !== undefined) this.#runs.abortSetup(run, lease, error, clientMessageId);
      pending.reject(error);
      throw error;
    } finally {
      this.#leave();
    }
  }

  /**
   * Starts a run driven by the caller: appends `agent_started` and resolves with the emitter.
   * The stall timeout, cancel and shutdown apply as to agent runs.
   * @throws TooManyRunsError, ShuttingDownError, InvalidInputError, EngineUnavailableError.
   */
  async startRun(input: StartRunInput): Promise<RunEmitter> {
    const current = this.#current();
    if (current !== this) return current.startRun(input);
    if (this.#services.isShuttingDown()) throw new ShuttingDownError();
    if (typeof input.agent !== 'string' || input.agent.length === 0) {
      throw new InvalidInputError('agent must be a non-empty string');
    }
    if (typeof input.input !== 'string') throw new InvalidInputError('input must be a string');
    const threadId = resolveThreadId(input.threadId);
    this.#enter();
    let run: RunSupervisor | undefined;
    let lease: RunLease | undefined;
    try {
      const runId = randomId('r_');
      const admitted = await this.#runs.admit([runId], threadId, input.agent);
      // Without a chat id the engine never answers `duplicate`.
      if (admitted.kind !== 'admitted') throw new RunFencedError(runId);
      lease = admitted.lease;
      run = this.#runs.create(runId, threadId, input.agent, input.input, lease);
      await run.start();
      return run.emitter;
    } catch (error) {
      if (lease !== undefined) this.#runs.abortSetup(run, lease, error, undefined);
      throw error;
    } finally {
      this.#leave();
    }
  }

  /**
   * Cancels one of this user's runs: it ends with `agent_completed` `cancelled`. A run owned by
   * another node is cancelled there through the engine's control channel.
   * @returns false when the run is unknown, finished or another user's (wire `not_found`).
   */
  async cancelRun(runId: string): Promise<boolean> {
    const current = this.#current();
    if (current !== this) return current.cancelRun(runId);
    if (typeof runId !== 'string' || runId.length === 0) return false;
    return this.#runs.cancel(runId);
  }

  /**
   * Closes every connection of this user on this node with `code` (default 1000) through its
   * transport, and unregisters them. Returns how many were closed.
   */
  closeAllConnections(code: number = CLOSE_CODES.NORMAL, reason = ''): number {
    const connections = this.#connections;
    for (const connection of connections) connection.closeWith(code, reason);
    return connections.length;
  }

  /** Cancels a local run (control channel, drain). @internal */
  cancelLocalRun(runId: string, cause: 'cancel' | 'shutdown'): boolean {
    return this.#runs.cancelLocal(runId, cause);
  }

  /** This user's connections on this node. @internal */
  get connections(): readonly Connection[] {
    return this.#connections;
  }

  /**
   * Resolves when the subscription has delivered `seq` to the connections (at once when there
   * is no subscription), or after `timeoutMs`. @internal
   */
  whenDelivered(seq: number, timeoutMs: number): Promise<void> {
    return this.#subscription.whenDelivered(seq, timeoutMs);
  }

  /** Drops the engine subscription; later calls go to a new manager. @internal */
  async evict(): Promise<void> {
    if (this.#evicted) return;
    this.#evicted = true;
    await this.#subscription.close();
  }

  #current(): WebSocketManager {
    return this.#evicted ? this.#services.directory.get(this.context) : this;
  }

  #enter(): void {
    this.#pending++;
    this.#services.directory.markBusy(this);
  }

  #leave(): void {
    this.#pending--;
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.isIdle && !this.#evicted) this.#services.directory.markIdle(this);
  }

  #removeConnection(connection: Connection): void {
    this.#connections = this.#connections.filter((c) => c !== connection);
    this.#services.monitor.connectionClosed();
    this.#slots.release(connection.id);
    this.#logger.debug('Connection unregistered', { connectionId: connection.id });
    this.#checkIdle();
  }
}

/** Creates a user's manager: only the hub's registry calls this. @internal */
export function constructManager(
  services: ManagerServices,
  context: UserContext,
): WebSocketManager {
  return new WebSocketManager(FACTORY_TOKEN, { services, context } satisfies ManagerInit);
}
