import type { ActiveRun, ChatEvent, UnsequencedEvent } from '@app/ws-protocol';

/**
 * The stream engine: owner of every user's ordered event stream (seq, epoch, retention), of
 * run ownership leases, of the cross-node control channel and of per-user connection counts.
 * `createMemoryEngine()` implements it in one process; `@app/ws-redis` implements it across
 * nodes. Every engine must pass `runStreamEngineContract` from `@app/ws-core/testing`.
 *
 * Rules every implementation follows:
 * - All methods are asynchronous; failures of the backend reject with `EngineUnavailableError`.
 * - `append` calls for one user take effect in the order they were made, even when the caller
 *   does not wait for one before making the next.
 * - A subscriber receives every event appended after `subscribe()` resolved, in `seq` order,
 *   without gaps or repeats: an engine whose transport can lose messages backfills from the
 *   stream before delivering further.
 * - After close(), every method rejects with `EngineUnavailableError`.
 */
export interface StreamEngine {
  /** Short name for logs and health output, e.g. `memory` or `redis`. */
  readonly kind: string;
  /** The retention this engine applies (also announced in `welcome.resumeWindow`). */
  readonly retention: RetentionSettings;

  /**
   * Appends one event to the user's stream: assigns the next `seq` (1 on a new epoch) and
   * delivers it to the user's subscribers, atomically with respect to other appends.
   * @throws RunFencedError when `options.lease` is not the run's current lease (the run was
   *   taken over, released, or already has its terminal event).
   */
  append(userId: string, event: UnsequencedEvent, options?: AppendOptions): Promise<AppendResult>;

  /**
   * Optional fast path of an engine that appends synchronously (the in-memory one): the same
   * effect as `append`, returning the result directly and throwing instead of rejecting. Run
   * emitters use it when present, so an event costs no promise (with async hooks enabled, as
   * `withLogContext` does, each promise is expensive). Remote engines leave it out.
   */
  appendNow?(userId: string, event: UnsequencedEvent, options?: AppendOptions): AppendResult;

  /**
   * The stream's epoch and bounds, and the user's runs in flight, read together in one step;
   * creates the stream (a new epoch, seq 0) when there is none. A run is in flight from its first
   * event appended under its lease until its terminal append (`terminal: true`) or the release
   * of its lease; events appended without a lease belong to no run in flight.
   */
  position(userId: string): Promise<StreamSnapshot>;

  /**
   * Every retained event with `seq > afterSeq`, in order, when that range is complete: `epoch`
   * (when given) is the current one, `afterSeq` is not beyond `latestSeq`, and no event after
   * `afterSeq` has left retention. Otherwise `complete: false` and no records.
   */
  readSince(userId: string, afterSeq: number, epoch?: string): Promise<ReadSinceResult>;

  /** Delivers the user's future events (see the interface rules) until unsubscribed. */
  subscribe(userId: string, listener: StreamListener): Promise<StreamSubscription>;

  /**
   * Claims ownership of a run for `ownerId` (a server id) with a fencing token. Resolves
   * undefined when the run already has an owner. Leases expire after `ttlMs` unless renewed
   * (an engine for a single process may keep them until released).
   *
   * `run` describes the run for whoever must end it should its owner be lost before it appended
   * anything: an engine that takes over lost runs keeps it with the lease, so the terminal
   * `agent_completed` it writes carries the right `threadId` (a run acknowledged to a client
   * must end visibly even if its node died right after the ack). Engines of one process may
   * ignore it.
   */
  claimRun(
    userId: string,
    runId: string,
    ownerId: string,
    ttlMs: number,
    run?: RunClaimInfo,
  ): Promise<RunLease | undefined>;
  /** Extends a lease; false when it is no longer the run's current lease. */
  renewRun(lease: RunLease, ttlMs: number): Promise<boolean>;
  /**
   * Gives a lease up (no-op when it is not current); the run leaves `activeRuns` without a
   * terminal event. A terminal append releases it too.
   */
  releaseRun(lease: RunLease): Promise<void>;
  /**
   * Admits a new run of the user, in one atomic step across nodes
   * (docs/scaling.md#rule-9-idempotency-and-caps-hold-across-nodes):
   * - a `chatId` recorded for the user within `chatIdTtlMs` answers `duplicate` with the ack
   *   recorded then, and nothing else happens (no second run);
   * - a user who already has `maxRuns` runs with a current lease (admitted or claimed) answers
   *   `too_many_runs`;
   * - otherwise the run is claimed for `ownerId` as by {@link claimRun} — it counts until its
   *   lease ends: terminal append, release, or expiry when its node is lost (an engine for a
   *   single process keeps leases until released) — and `{runId, threadId}` is recorded under
   *   `chatId` for `chatIdTtlMs`.
   * @throws RunFencedError when `runId` already has an owner.
   */
  admitRun(admission: RunAdmission): Promise<RunAdmissionResult>;
  /**
   * Forgets the chat id that `admitRun` recorded for `runId` (the run's setup failed), so that a
   * resend can start a run. No-op when the id names another run or was forgotten already.
   */
  forgetChat(userId: string, chatId: ChatId, runId: string): Promise<void>;
  /** The current owner of a user's running run, or undefined (unknown, ended, other user's). */
  findRun(userId: string, runId: string): Promise<{ ownerId: string } | undefined>;

  /** Publishes a control message to every node's `onControl` listeners (this node's included). */
  publishControl(message: ControlMessage): Promise<void>;
  /** Registers a control listener; returns its removal. */
  onControl(listener: (message: ControlMessage) => void): () => void;

  /**
   * Takes one of the user's connection slots, atomically against `max` across nodes. False when
   * the user already holds `max` slots. Taking a slot the connection already holds is true.
   * Slots expire after `ttlMs` unless renewed (so a lost node's connections stop counting).
   */
  acquireConnectionSlot(
    userId: string,
    connectionId: string,
    max: number,
    ttlMs: number,
  ): Promise<boolean>;
  /** Keeps a slot alive for another `ttlMs`. */
  renewConnectionSlot(userId: string, connectionId: string, ttlMs: number): Promise<void>;
  /** Frees a slot (no-op when not held). */
  releaseConnectionSlot(userId: string, connectionId: string): Promise<void>;
  /** How many slots the user holds across nodes. */
  countConnections(userId: string): Promise<number>;

  /** Whether the engine can serve requests now, with a human-readable detail. */
  health(): Promise<EngineHealth>;
  /** Stops timers and backend connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * How long events are kept for resume. The bounds apply to events of ended runs (and to events
 * outside runs): every event with `seq >=` the `firstSeq` of the oldest run in flight stays
 * retained until that run ends (docs/protocol.md#8-joining-mid-run).
 */
export interface RetentionSettings {
  /** Events kept per user stream. Default 1000. */
  readonly maxEvents: number;
  /** Age after which an event is dropped, in ms. Default 300000. */
  readonly maxAgeMs: number;
  /** UTF-8 bytes of event JSON kept per user stream. Default 1048576 (1 MiB). */
  readonly maxBytes: number;
}

/** A sequenced event and its wire text. */
export interface StreamRecord {
  /** `event.seq` (read per connection per event: kept as a plain field). */
  readonly seq: number;
  readonly event: ChatEvent;
  /** `JSON.stringify(event)` exactly: the protocol v1 frame, produced once per event. */
  readonly json: string;
}

/** What `append` returns: the sequenced event and the epoch it belongs to. */
export interface AppendResult extends StreamRecord {
  readonly epoch: string;
}

/** Options of {@link StreamEngine.append}. Callers may share one object between calls. */
export interface AppendOptions {
  /** The run's lease: the append is refused (`RunFencedError`) unless it is current. */
  readonly lease?: RunLease;
  /** This event ends its run: the lease is released atomically with the append. */
  readonly terminal?: boolean;
  /** `JSON.stringify(event.payload)`, when the caller already has it (saves a serialization). */
  readonly payloadJson?: string;
}

/** A stream's identity and bounds. */
export interface StreamPosition {
  /** Names the stream (`e_` + random); changes when the stream is reset or expired. */
  readonly epoch: string;
  /** Latest `seq` (0 when nothing was ever appended in this epoch). */
  readonly latestSeq: number;
  /** Oldest retained `seq` (`latestSeq + 1` when nothing is retained). */
  readonly oldestSeq: number;
}

/** What `position` returns: the stream's bounds and the user's runs in flight. */
export interface StreamSnapshot extends StreamPosition {
  /**
   * The user's runs in flight (see {@link StreamEngine.position}), oldest (smallest `firstSeq`)
   * first — `welcome.activeRuns`.
   */
  readonly activeRuns: readonly ActiveRun[];
}

/** What `readSince` returns. */
export interface ReadSinceResult extends StreamPosition {
  /** True when `records` holds every event after the requested `seq` (see readSince). */
  readonly complete: boolean;
  /** The events with `seq > afterSeq` in order (empty when incomplete). */
  readonly records: readonly StreamRecord[];
}

/** Receives a user's events from {@link StreamEngine.subscribe}. */
export interface StreamListener {
  /** The next event, in `seq` order. Must not throw (exceptions are caught and dropped). */
  onEvent(record: StreamRecord): void;
  /**
   * The user's stream restarted under a new epoch (data loss, expiry, explicit reset): the
   * events already sent under the old epoch cannot be continued, so connections are closed 1011.
   */
  onReset(epoch: string): void;
}

/** Handle of a subscription. */
export interface StreamSubscription {
  unsubscribe(): Promise<void>;
}

/** Ownership of a run by a node, with a fencing token (docs/scaling.md#rule-4-run-ownership-with-fencing). */
export interface RunLease {
  readonly userId: string;
  readonly runId: string;
  readonly ownerId: string;
  readonly token: string;
}

/**
 * What an engine keeps about a claimed run (see {@link StreamEngine.claimRun}). Its start time is
 * the engine's own clock at the claim, so that a takeover measures `durationMs` on one clock.
 */
export interface RunClaimInfo {
  /** The thread the run belongs to: every event of the run carries it. */
  readonly threadId: string;
  /**
   * The agent that runs it: named in `welcome.activeRuns` from the run's first event on (its
   * `user_message` does not carry it). Without it, the name comes from the run's
   * `agent_started`.
   */
  readonly agentName?: string;
}

/** A `chat` message's client `id` (protocol section 5): `7` and `'7'` are different ids. */
export type ChatId = string | number;

/** What a `chat` was answered with (its `ack`). */
export interface ChatAck {
  readonly runId: string;
  readonly threadId: string;
}

/** What {@link StreamEngine.admitRun} is asked to admit. */
export interface RunAdmission extends RunClaimInfo {
  readonly userId: string;
  readonly runId: string;
  /** The node that will own the run (a server id). */
  readonly ownerId: string;
  /** TTL of the run's lease, as for `claimRun`. */
  readonly ttlMs: number;
  /** The user's admitted runs allowed at once, on every node together (`maxRunsPerUser`). */
  readonly maxRuns: number;
  /** The chat's client id, when it has one: recorded with the ack for `chatIdTtlMs`. */
  readonly chatId?: ChatId;
  /** How long a chat id is remembered, in ms (`chatIdempotencyMs`). */
  readonly chatIdTtlMs: number;
}

/** What {@link StreamEngine.admitRun} decided. */
export type RunAdmissionResult =
  /** The run is claimed (and counted) under `lease`. */
  | { readonly kind: 'admitted'; readonly lease: RunLease }
  /** The chat id was seen: its original ack; no run was started. */
  | { readonly kind: 'duplicate'; readonly ack: ChatAck }
  /** The user already has `maxRuns` runs. */
  | { readonly kind: 'too_many_runs' };

/** A message on the control channel between nodes. */
export interface ControlMessage {
  /** `cancel_run`: the node that owns the run cancels it. */
  readonly type: 'cancel_run';
  readonly userId: string;
  readonly runId: string;
  /** The server id of the publisher. */
  readonly origin: string;
}

/** Result of {@link StreamEngine.health}. */
export interface EngineHealth {
  readonly ok: boolean;
  readonly detail: string;
}
