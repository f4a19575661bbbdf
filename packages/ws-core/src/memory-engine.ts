import type { UnsequencedEvent } from '@app/ws-protocol';
import { asError, EngineUnavailableError, RunFencedError } from './errors';
import { EventEncoder } from './event-encoder';
import { MemoryAdmissions } from './memory-admissions';
import { randomId } from './random-id';
import { resolveRetention } from './retention-settings';
import type {
  AppendOptions,
  AppendResult,
  ChatId,
  ControlMessage,
  EngineHealth,
  ReadSinceResult,
  RetentionSettings,
  RunAdmission,
  RunAdmissionResult,
  RunClaimInfo,
  RunLease,
  StreamEngine,
  StreamListener,
  StreamSnapshot,
  StreamSubscription,
} from './stream-engine';
import { unrefInterval } from './timers';
import { OUTSIDE_RUN, RUN_END, RUN_EVENT, UserStream } from './user-stream';

/** Options of {@link createMemoryEngine}. */
export interface MemoryEngineOptions {
  /** Retention per user stream: `maxEvents` 1000, `maxAgeMs` 300000, `maxBytes` 1 MiB. */
  retention?: { maxEvents?: number; maxAgeMs?: number; maxBytes?: number };
  /** How often expired streams are swept, in ms. Default: maxAgeMs / 2, within [1 s, 60 s]. */
  sweepIntervalMs?: number;
}

const CLOSED_MESSAGE = 'The in-memory stream engine is closed.';

/**
 * The single-process {@link StreamEngine}. Streams live in a map; a stream whose newest event is
 * older than `maxAgeMs` and that nobody listens to is dropped (its next use starts a new epoch),
 * so memory does not grow with the number of users ever seen. Leases never expire on their own
 * (the process that holds them is the only one), and connection slots are counted locally.
 */
export class MemoryStreamEngine implements StreamEngine {
  readonly kind = 'memory';
  readonly retention: RetentionSettings;
  readonly #streams = new Map<string, UserStream>();
  /** The wire encoder of this engine's events (keeps its own small cache). */
  readonly #encoder = new EventEncoder();
  readonly #leases = new Map<string, RunLease>();
  /** The agent of each claimed run (`welcome.activeRuns` names it from the run's first event). */
  readonly #agentNames = new Map<string, string>();
  readonly #slots = new Map<string, Set<string>>();
  /** Admitted runs per user and the chat ids they were admitted under (`admitRun`). */
  readonly #admissions = new MemoryAdmissions();
  #controlListeners: readonly ((message: ControlMessage) => void)[] = [];
  readonly #sweeper: ReturnType<typeof setInterval>;
  #closed = false;

  constructor(options: MemoryEngineOptions = {}) {
    this.retention = resolveRetention(options.retention);
    const interval =
      options.sweepIntervalMs ?? Math.min(60_000, Math.max(1000, this.retention.maxAgeMs / 2));
    this.#sweeper = unrefInterval(() => this.sweep(), interval);
  }

  /** How many user streams are held (for tests and diagnostics). */
  get streamCount(): number {
    return this.#streams.size;
  }

  append(userId: string, event: UnsequencedEvent, options?: AppendOptions): Promise<AppendResult> {
    try {
      return Promise.resolve(this.appendNow(userId, event, options));
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  appendNow(userId: string, event: UnsequencedEvent, options?: AppendOptions): AppendResult {
    if (this.#closed) throw new EngineUnavailableError(CLOSED_MESSAGE);
    const lease = options?.lease;
    let run = OUTSIDE_RUN;
    if (lease !== undefined) {
      const current = this.#leases.get(lease.runId);
      if (
        current === undefined ||
        current.token !== lease.token ||
        current.userId !== userId ||
        lease.runId !== event.runId
      ) {
        throw new RunFencedError(event.runId);
      }
      if (options?.terminal === true) {
        this.#dropLease(lease);
        run = RUN_END;
      } else {
        run = RUN_EVENT;
      }
    }
    const now = Date.now();
    const agentName = run === RUN_EVENT ? this.#agentNames.get(event.runId) : undefined;
    return this.#stream(userId, now).append(event, options?.payloadJson, now, run, agentName);
  }

  position(userId: string): Promise<StreamSnapshot> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    const now = Date.now();
    return Promise.resolve(this.#stream(userId, now).position(now));
  }

  readSince(userId: string, afterSeq: number, epoch?: string): Promise<ReadSinceResult> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    const now = Date.now();
    return Promise.resolve(this.#stream(userId, now).readSince(afterSeq, epoch, now));
  }

  subscribe(userId: string, listener: StreamListener): Promise<StreamSubscription> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    this.#stream(userId, Date.now()).addListener(listener);
    let active = true;
    return Promise.resolve({
      unsubscribe: (): Promise<void> => {
        if (active) {
          active = false;
          // The stream may have been replaced by a reset: remove from whichever holds it now.
          this.#streams.get(userId)?.removeListener(listener);
        }
        return Promise.resolve();
      },
    });
  }

  claimRun(
    userId: string,
    runId: string,
    ownerId: string,
    _ttlMs?: number,
    run?: RunClaimInfo,
  ): Promise<RunLease | undefined> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    if (this.#leases.has(runId)) return Promise.resolve(undefined);
    const lease: RunLease = Object.freeze({ userId, runId, ownerId, token: randomId('l_') });
    this.#leases.set(runId, lease);
    if (run?.agentName !== undefined) this.#agentNames.set(runId, run.agentName);
    // Counted against admitRun's cap like any run with a lease.
    const ack = { runId, threadId: run?.threadId ?? '' };
    this.#admissions.admit(userId, ack, undefined, 0, Date.now());
    return Promise.resolve(lease);
  }

  renewRun(lease: RunLease): Promise<boolean> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    return Promise.resolve(this.#leases.get(lease.runId)?.token === lease.token);
  }

  releaseRun(lease: RunLease): Promise<void> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    if (this.#leases.get(lease.runId)?.token === lease.token) {
      this.#dropLease(lease);
      this.#streams.get(lease.userId)?.endRun(lease.runId);
    }
    return Promise.resolve();
  }

  admitRun(admission: RunAdmission): Promise<RunAdmissionResult> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    const { userId, runId, chatId } = admission;
    const now = Date.now();
    if (chatId !== undefined) {
      const ack = this.#admissions.ackOf(userId, chatId, now);
      if (ack !== undefined) return Promise.resolve({ kind: 'duplicate', ack });
    }
    if (this.#admissions.runCount(userId) >= admission.maxRuns) {
      return Promise.resolve({ kind: 'too_many_runs' });
    }
    if (this.#leases.has(runId)) return Promise.reject(new RunFencedError(runId));
    const lease: RunLease = Object.freeze({
      userId,
      runId,
      ownerId: admission.ownerId,
      token: randomId('l_'),
    });
    this.#leases.set(runId, lease);
    if (admission.agentName !== undefined) this.#agentNames.set(runId, admission.agentName);
    const ack = Object.freeze({ runId, threadId: admission.threadId });
    this.#admissions.admit(userId, ack, chatId, admission.chatIdTtlMs, now);
    return Promise.resolve({ kind: 'admitted', lease });
  }

  forgetChat(userId: string, chatId: ChatId, runId: string): Promise<void> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    this.#admissions.forget(userId, chatId, runId);
    return Promise.resolve();
  }

  findRun(userId: string, runId: string): Promise<{ ownerId: string } | undefined> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    const lease = this.#leases.get(runId);
    return Promise.resolve(
      lease !== undefined && lease.userId === userId ? { ownerId: lease.ownerId } : undefined,
    );
  }

  publishControl(message: ControlMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    for (const listener of this.#controlListeners) {
      try {
        listener(message);
      } catch {
        // One listener's failure must not keep the message from the others.
      }
    }
    return Promise.resolve();
  }

  onControl(listener: (message: ControlMessage) => void): () => void {
    this.#controlListeners = [...this.#controlListeners, listener];
    return () => {
      this.#controlListeners = this.#controlListeners.filter((l) => l !== listener);
    };
  }

  acquireConnectionSlot(userId: string, connectionId: string, max: number): Promise<boolean> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    let slots = this.#slots.get(userId);
    if (slots?.has(connectionId)) return Promise.resolve(true);
    if (slots !== undefined && slots.size >= max) return Promise.resolve(false);
    if (slots === undefined) {
      slots = new Set();
      this.#slots.set(userId, slots);
    }
    slots.add(connectionId);
    return Promise.resolve(true);
  }

  renewConnectionSlot(): Promise<void> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    return Promise.resolve();
  }

  releaseConnectionSlot(userId: string, connectionId: string): Promise<void> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    const slots = this.#slots.get(userId);
    if (slots !== undefined) {
      slots.delete(connectionId);
      if (slots.size === 0) this.#slots.delete(userId);
    }
    return Promise.resolve();
  }

  countConnections(userId: string): Promise<number> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    return Promise.resolve(this.#slots.get(userId)?.size ?? 0);
  }

  health(): Promise<EngineHealth> {
    return Promise.resolve(
      this.#closed
        ? { ok: false, detail: 'memory engine closed' }
        : { ok: true, detail: `memory engine, ${this.#streams.size} streams` },
    );
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      clearInterval(this.#sweeper);
      this.#streams.clear();
      this.#leases.clear();
      this.#agentNames.clear();
      this.#admissions.clear();
      this.#slots.clear();
      this.#controlListeners = [];
    }
    return Promise.resolve();
  }

  /**
   * Starts a new epoch for the user now, as if the stream had been lost: subscribers get
   * `onReset` (their connections are closed with 1011 and resume incompletely). Useful to
   * forget a user's events and to test stream loss.
   */
  resetStream(userId: string): Promise<string> {
    if (this.#closed) return Promise.reject(new EngineUnavailableError(CLOSED_MESSAGE));
    const previous = this.#streams.get(userId);
    const next = new UserStream(this.retention, Date.now(), this.#encoder);
    this.#streams.set(userId, next);
    const listeners = previous?.takeListeners() ?? [];
    for (const listener of listeners) next.addListener(listener);
    for (const listener of listeners) {
      try {
        listener.onReset(next.epoch);
      } catch {
        // Same rule as event delivery.
      }
    }
    return Promise.resolve(next.epoch);
  }

  /** Drops expired events and streams (runs on a timer; callable for tests). */
  sweep(): void {
    const now = Date.now();
    for (const [userId, stream] of this.#streams) {
      if (stream.isExpired(now)) this.#streams.delete(userId);
      else stream.prune(now);
    }
  }

  /** The run's lease ends (terminal append or release): it no longer counts for its user. */
  #dropLease(lease: RunLease): void {
    this.#leases.delete(lease.runId);
    this.#agentNames.delete(lease.runId);
    this.#admissions.runEnded(lease.userId, lease.runId);
  }

  #stream(userId: string, now: number): UserStream {
    let stream = this.#streams.get(userId);
    if (stream === undefined || stream.isExpired(now)) {
      stream = new UserStream(this.retention, now, this.#encoder);
      this.#streams.set(userId, stream);
    }
    return stream;
  }
}

/**
 * Creates the in-memory stream engine (the hub's default).
 * @param options `retention` ({maxEvents 1000, maxAgeMs 300000, maxBytes 1 MiB}), `sweepIntervalMs`.
 */
export function createMemoryEngine(options?: MemoryEngineOptions): MemoryStreamEngine {
  return new MemoryStreamEngine(options);
}
