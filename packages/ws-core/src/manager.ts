import { type Logger, withLogContext } from '@app/logging-ssot';
import { LIMITS, type UnsequencedEvent } from '@app/ws-protocol';
import type { Agent } from './agent';
import { runBoundedHook } from './bounded-hook';
import type { ChatAck } from './chat-idempotency';
import { Connection, type ConnectionHandle, type ConnectOptions } from './connection';
import {
  asError,
  ConnectionLimitError,
  FactoryBypassError,
  InvalidInputError,
  RunFencedError,
  ShuttingDownError,
  TooManyRunsError,
  UnknownAgentError,
} from './errors';
import type { HubRuntime } from './hub-runtime';
import { envelopeBytes, eventBytesOver } from './event-size';
import { isoTimestamp } from './iso-timestamp';
import { randomId } from './random-id';
import type { RunEmitter } from './run-emitter';
import { RunSupervisor } from './run-supervisor';
import type { RunLease, StreamListener, StreamRecord, StreamSubscription } from './stream-engine';
import { unrefTimeout } from './timers';
import type { Transport } from './transport';
import type { UserContext } from './user-context';

/** Input of {@link WebSocketManager.chat}. */
export interface ChatInput {
  /** The user's message, 1 to 16384 characters. */
  text: string;
  /** Default: a new `t_` + random thread. */
  threadId?: string;
  /** Agent name. Default: the hub's default agent. */
  agent?: string;
  /** The client message `id`: the same id within `chatIdempotencyMs` gets the same ack, no new run. */
  clientMessageId?: string | number;
  /**
   * Called once the chat is accepted, before its `user_message` is appended: send the `ack`
   * here and it precedes the run's events on every connection. Also called for a repeated id.
   */
  onAccepted?: (ack: ChatResult) => void;
}

/** What {@link WebSocketManager.chat} resolves with: the `ack`'s run and thread. */
export type ChatResult = ChatAck;

/** Input of {@link WebSocketManager.startRun}. */
export interface StartRunInput {
  /** Agent name shown in `agent_started` (need not be registered: the caller drives the run). */
  agent: string;
  /** Default: a new `t_` + random thread. */
  threadId?: string;
  /** The text the run answers (`agent_started.payload.input`). */
  input: string;
}

/** Passed by the registry: nothing else can construct a manager. */
const FACTORY_TOKEN: unique symbol = Symbol('@app/ws-core/manager-factory');
const MANAGER_BRAND = Symbol.for('@app/ws-core/WebSocketManager');

/** Length in Unicode code points (the protocol's "characters"); cheap when all are BMP. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) count--;
  }
  return count;
}

interface ManagerInit {
  readonly runtime: HubRuntime;
  readonly context: UserContext;
}

interface DeliveryWaiter {
  readonly seq: number;
  readonly resolve: () => void;
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
  readonly #runtime: HubRuntime;
  readonly #logger: Logger;
  #connections: readonly Connection[] = [];
  readonly #runs = new Map<string, RunSupervisor>();
  /** Runs in progress plus runs being set up. */
  #runSlots = 0;
  /** Calls in progress that must keep the manager from eviction. */
  #pending = 0;
  #subscription: Promise<StreamSubscription> | undefined;
  #evicted = false;
  #deliveredSeq = 0;
  #waiters: DeliveryWaiter[] = [];
  readonly #listener: StreamListener;

  /**
   * Not for direct use: always throws `FactoryBypassError` (`WS_FACTORY_BYPASS`) when called
   * from outside the factory. Use `getWebSocketManager(userContext)`.
   */
  constructor(token?: unknown, init?: unknown) {
    if (token !== FACTORY_TOKEN || init === undefined) throw new FactoryBypassError();
    const { runtime, context } = init as ManagerInit;
    this.#runtime = runtime;
    this.context = context;
    this.userId = context.userId;
    this.#logger = runtime.logger.child({ userId: this.userId });
    Object.defineProperty(this, MANAGER_BRAND, { value: true });
    this.#listener = {
      onEvent: (record: StreamRecord): void => {
        const connections = this.#connections;
        for (let i = 0; i < connections.length; i++) connections[i]!.deliver(record);
        this.#deliveredSeq = record.seq;
        if (this.#waiters.length > 0) this.#settleWaiters();
      },
      onReset: (epoch: string): void => {
        this.#logger.warn('Stream reset; closing the user’s connections with 1011', { epoch });
        this.#deliveredSeq = 0;
        this.closeAllConnections(1011, 'stream reset');
      },
    };
  }

  /** Recognises managers from any copy of the package (ESM and CJS builds side by side). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[MANAGER_BRAND] === true
    );
  }

  /** Open connections of this user on this node. */
  get connectionCount(): number {
    return this.#connections.length;
  }

  /** Runs of this user in progress on this node (including runs being started). */
  get activeRunCount(): number {
    return this.#runSlots;
  }

  /** True when evicted (its calls are forwarded to the user's current manager). */
  get isEvicted(): boolean {
    return this.#evicted;
  }

  /** No connection, no run, no call in progress. @internal */
  get isIdle(): boolean {
    return this.#connections.length === 0 && this.#runSlots === 0 && this.#pending === 0;
  }

  /**
   * Registers a transport: sends `welcome` (unless `sendWelcome: false` or `encode` drops it),
   * then the connect-time resume of protocol §5 when `resume` is given, then live events.
   * @throws ConnectionLimitError (`WS_CONNECTION_LIMIT`) past `maxConnectionsPerUser`.
   * @throws EngineUnavailableError when the stream engine cannot serve.
   */
  async connect(transport: Transport, options: ConnectOptions): Promise<ConnectionHandle> {
    const current = this.#current();
    if (current !== this) return current.connect(transport, options);
    const { engine, settings, monitor } = this.#runtime;
    const connectionId = options.connectionId ?? randomId('c_');
    const max = settings.limits.maxConnectionsPerUser;
    this.#enter();
    try {
      const acquired = await engine.acquireConnectionSlot(
        this.userId,
        connectionId,
        max,
        settings.leaseTtlMs,
      );
      if (!acquired) throw new ConnectionLimitError(max);
      let connection: Connection | undefined;
      try {
        await this.#ensureSubscribed();
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
        if (connection === undefined) this.#releaseSlot(connectionId);
        else connection.closeWith(1011, 'connect failed');
        throw error;
      }
    } finally {
      this.#leave();
    }
  }

  /** Whether one more connection fits under `maxConnectionsPerUser` (across nodes) right now. */
  async hasConnectionCapacity(): Promise<boolean> {
    const count = await this.#runtime.engine.countConnections(this.userId);
    return count < this.#runtime.settings.limits.maxConnectionsPerUser;
  }

  /**
   * A `chat` message: appends `user_message` (payload `{messageId, text}`, with the run's id),
   * then runs the agent (default: the hub's default agent) in the background. Idempotent per
   * `clientMessageId` for `chatIdempotencyMs` (the same ack, no second run). Resolves once the
   * run has started.
   * @throws UnknownAgentError (`unknown_agent`), TooManyRunsError (`too_many_runs`),
   *   ShuttingDownError (`unavailable`), InvalidInputError (`invalid_message`),
   *   EngineUnavailableError (`unavailable`).
   */
  async chat(input: ChatInput): Promise<ChatResult> {
    const current = this.#current();
    if (current !== this) return current.chat(input);
    const runtime = this.#runtime;
    if (runtime.isShuttingDown) throw new ShuttingDownError();
    const { text, clientMessageId } = input;
    if (typeof text !== 'string' || text.length === 0 || codePoints(text) > LIMITS.maxTextLength) {
      throw new InvalidInputError(`text must be 1 to ${LIMITS.maxTextLength} characters`);
    }
    if (clientMessageId !== undefined) {
      const earlier = runtime.chatIds.get(this.userId, clientMessageId);
      if (earlier !== undefined) {
        const ack = await earlier;
        input.onAccepted?.(ack);
        return ack;
      }
    }
    const agent = this.#resolveAgent(input.agent);
    const threadId = this.#threadId(input.threadId);
    const runId = randomId('r_');
    this.#assertFits(runId, threadId, agent.name, text);
    this.#reserveRun();
    const ack: ChatResult = Object.freeze({ runId, threadId });
    let settle!: (error?: unknown) => void;
    const acked = new Promise<ChatResult>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve(ack) : reject(asError(error)));
    });
    acked.catch(() => undefined);
    if (clientMessageId !== undefined)
      runtime.chatIds.remember(this.userId, clientMessageId, acked);
    this.#enter();
    let run: RunSupervisor | undefined;
    let lease: RunLease | undefined;
    try {
      lease = await this.#claim(runId, threadId);
      input.onAccepted?.(ack);
      const messageId = randomId('m_');
      const ts = isoTimestamp(Date.now());
      const hook = runtime.hooks.onUserMessage?.bind(runtime.hooks);
      if (hook) {
        await runBoundedHook(
          'onUserMessage',
          () => hook({ userId: this.userId, threadId, runId, messageId, text, ts }),
          runtime.settings.hookTimeoutMs,
          this.#logger.child({ runId, threadId }),
        );
      }
      const message = {
        type: 'user_message',
        runId,
        threadId,
        ts,
        payload: { messageId, text },
      } as UnsequencedEvent;
      await runtime.engine.append(this.userId, message, { lease });
      run = this.#createRun(runId, threadId, agent.name, text, lease);
      await run.start();
      run.runAgent(agent);
      settle();
      return ack;
    } catch (error) {
      this.#abortSetup(run, lease, error);
      settle(error);
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
    if (this.#runtime.isShuttingDown) throw new ShuttingDownError();
    if (typeof input.agent !== 'string' || input.agent.length === 0) {
      throw new InvalidInputError('agent must be a non-empty string');
    }
    if (typeof input.input !== 'string') throw new InvalidInputError('input must be a string');
    const threadId = this.#threadId(input.threadId);
    this.#reserveRun();
    this.#enter();
    let run: RunSupervisor | undefined;
    let lease: RunLease | undefined;
    try {
      const runId = randomId('r_');
      lease = await this.#claim(runId, threadId);
      run = this.#createRun(runId, threadId, input.agent, input.input, lease);
      await run.start();
      return run.emitter;
    } catch (error) {
      this.#abortSetup(run, lease, error);
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
    const local = this.#runs.get(runId);
    if (local !== undefined) return local.cancel();
    const { engine, settings } = this.#runtime;
    const owner = await engine.findRun(this.userId, runId);
    if (owner === undefined || owner.ownerId === settings.serverId) return false;
    await engine.publishControl({
      type: 'cancel_run',
      userId: this.userId,
      runId,
      origin: settings.serverId,
    });
    return true;
  }

  /**
   * Closes every connection of this user on this node with `code` (default 1000) through its
   * transport, and unregisters them. Returns how many were closed.
   */
  closeAllConnections(code = 1000, reason = ''): number {
    const connections = this.#connections;
    for (const connection of connections) connection.closeWith(code, reason);
    return connections.length;
  }

  /** Cancels a local run (control channel, drain). @internal */
  cancelLocalRun(runId: string, cause: 'cancel' | 'shutdown'): boolean {
    return this.#runs.get(runId)?.cancel(cause) ?? false;
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
    if (this.#subscription === undefined || this.#deliveredSeq >= seq) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = unrefTimeout(resolve, timeoutMs);
      this.#waiters.push({
        seq,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Drops the engine subscription; later calls go to a new manager. @internal */
  async evict(): Promise<void> {
    if (this.#evicted) return;
    this.#evicted = true;
    const subscription = this.#subscription;
    this.#subscription = undefined;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve();
    if (subscription !== undefined) {
      try {
        await (await subscription).unsubscribe();
      } catch (error) {
        this.#logger.warn('Unsubscribing an evicted manager failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  #current(): WebSocketManager {
    return this.#evicted ? this.#runtime.managerFor(this.context) : this;
  }

  #enter(): void {
    this.#pending++;
    this.#runtime.managerBusy(this);
  }

  #leave(): void {
    this.#pending--;
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.isIdle && !this.#evicted) this.#runtime.managerIdle(this);
  }

  #ensureSubscribed(): Promise<StreamSubscription> {
    if (this.#subscription === undefined) {
      const subscription = this.#runtime.engine.subscribe(this.userId, this.#listener);
      this.#subscription = subscription;
      subscription.catch(() => {
        if (this.#subscription === subscription) this.#subscription = undefined;
      });
    }
    return this.#subscription;
  }

  #removeConnection(connection: Connection): void {
    this.#connections = this.#connections.filter((c) => c !== connection);
    this.#runtime.monitor.connectionClosed();
    this.#releaseSlot(connection.id);
    this.#logger.debug('Connection unregistered', { connectionId: connection.id });
    this.#checkIdle();
  }

  #releaseSlot(connectionId: string): void {
    this.#runtime.engine
      .releaseConnectionSlot(this.userId, connectionId)
      .catch((error: unknown) => {
        this.#logger.warn('Releasing a connection slot failed', {
          connectionId,
          error: error instanceof Error ? error.message : String(error),
        });
      });
  }

  #settleWaiters(): void {
    const delivered = this.#deliveredSeq;
    const waiting: DeliveryWaiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.seq <= delivered) waiter.resolve();
      else waiting.push(waiter);
    }
    this.#waiters = waiting;
  }

  #resolveAgent(name: string | undefined): Agent {
    const { agents, settings } = this.#runtime;
    const agentName = name ?? settings.defaultAgent ?? agents.firstName;
    const agent = agentName === undefined ? undefined : agents.get(agentName);
    if (agent === undefined) throw new UnknownAgentError(agentName ?? '');
    return agent;
  }

  #threadId(threadId: string | undefined): string {
    if (threadId === undefined) return randomId('t_');
    if (
      typeof threadId !== 'string' ||
      threadId.length === 0 ||
      codePoints(threadId) > LIMITS.maxIdLength
    ) {
      throw new InvalidInputError(`threadId must be 1 to ${LIMITS.maxIdLength} characters`);
    }
    return threadId;
  }

  /** The chat's user_message and agent_started must each fit in maxEventBytes. */
  #assertFits(runId: string, threadId: string, agentName: string, text: string): void {
    const limit = this.#runtime.settings.limits.maxEventBytes;
    const envelope = envelopeBytes(runId, threadId);
    const sample = randomId('m_');
    const over = Math.max(
      eventBytesOver(envelope, 'user_message', JSON.stringify({ messageId: sample, text }), limit),
      eventBytesOver(envelope, 'agent_started', JSON.stringify({ agentName, input: text }), limit),
    );
    if (over > 0) {
      throw new InvalidInputError(
        `text makes an event of ${over} bytes, over maxEventBytes (${limit})`,
      );
    }
  }

  #reserveRun(): void {
    const max = this.#runtime.settings.limits.maxRunsPerUser;
    if (this.#runSlots >= max) throw new TooManyRunsError(max);
    this.#runSlots++;
  }

  async #claim(runId: string, threadId: string): Promise<RunLease> {
    const { engine, settings } = this.#runtime;
    const lease = await engine.claimRun(
      this.userId,
      runId,
      settings.serverId,
      settings.leaseTtlMs,
      { threadId },
    );
    if (lease === undefined) throw new RunFencedError(runId);
    return lease;
  }

  #createRun(
    runId: string,
    threadId: string,
    agentName: string,
    input: string,
    lease: RunLease,
  ): RunSupervisor {
    const runtime = this.#runtime;
    const run = new RunSupervisor({
      runtime,
      userId: this.userId,
      runId,
      threadId,
      agentName,
      input,
      lease,
      logger: this.#logger.child({ runId, threadId }),
      onEnded: (ended) => {
        this.#runs.delete(ended.runId);
        runtime.runs.delete(ended.runId);
        this.#runSlots--;
        this.#checkIdle();
      },
    });
    this.#runs.set(runId, run);
    runtime.runs.set(runId, run);
    this.#logger.debug('Run started', { runId, threadId, agent: agentName });
    return run;
  }

  /** A chat or startRun failed before its run was under way: give everything back. */
  #abortSetup(run: RunSupervisor | undefined, lease: RunLease | undefined, error: unknown): void {
    if (run !== undefined) {
      run.abandon(error);
      return;
    }
    this.#runSlots--;
    if (lease !== undefined) {
      this.#runtime.engine.releaseRun(lease).catch(() => undefined);
    }
  }
}

/** Creates a user's manager: only the registry calls this. @internal */
export function constructManager(runtime: HubRuntime, context: UserContext): WebSocketManager {
  return new WebSocketManager(FACTORY_TOKEN, { runtime, context } satisfies ManagerInit);
}
