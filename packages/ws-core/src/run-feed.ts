import type { ChatEvent } from '@app/ws-protocol';
import type {
  ReadSinceResult,
  StreamEngine,
  StreamRecord,
  StreamSubscription,
} from './stream-engine';

/** Which run of a user to follow: by its id, or the latest run of a thread. */
export type RunSelector = { readonly runId: string } | { readonly threadId: string };

/**
 * Why a feed ended: `completed` after the run's terminal `agent_completed` was delivered;
 * `reset` when the user's stream restarted under a new epoch (the run's events are gone).
 */
export type RunFeedEnd = 'completed' | 'reset';

/** Receives a followed run's events (see {@link followRun}). Callbacks must not throw. */
export interface RunFeedListener {
  /** The run's next event, in `seq` order, each once, from the run's first retained event on. */
  onEvent(event: ChatEvent): void;
  /** Called once, after the last event; nothing follows it. Not called after `close()`. */
  onEnd(reason: RunFeedEnd): void;
}

/**
 * A run found and followed. Its events are held until {@link RunFeed.start} (so the caller can
 * answer first, e.g. with a protocol's `start` frame); call `start` or `close` promptly.
 */
export interface RunFeed {
  readonly runId: string;
  readonly threadId: string;
  /**
   * Delivers the run's retained events to `listener` at once (before `start` returns), then its
   * live events. When the retained events already end the run, `onEnd` is called within `start`.
   * Call it once.
   */
  start(listener: RunFeedListener): void;
  /** Stops delivery (no further callbacks) and drops the engine subscription. Idempotent. */
  close(): Promise<void>;
}

/**
 * What {@link followRun} found: the feed, or why there is none — `not_found` (no retained event
 * of such a run of this user: unknown, another user's, or long gone) or `incomplete` (some of
 * its events are retained but not its `agent_started`: its start has left retention).
 */
export type FollowRunResult =
  | { readonly ok: true; readonly feed: RunFeed }
  | { readonly ok: false; readonly reason: 'not_found' | 'incomplete' };

/** Reads are retried this often when retention moves between `position` and `readSince`. */
const READ_ATTEMPTS = 3;

/**
 * Finds one run of a user and follows it, on any node: once started, the feed delivers every
 * retained event of the run from its first one (its `user_message`, or `agent_started`), then
 * its live events until its terminal `agent_completed`, in `seq` order, each once — the facility behind the protocols that resume a
 * run by a position within it (docs/interop.md). A run in flight is whole (retention pins it,
 * docs/protocol.md#8-joining-mid-run); a run that ended is followed while its events are
 * retained. Selected by `threadId`, it is the thread's newest run in flight, else its newest
 * ended run still retained.
 *
 * The subscription is taken before the stream is read, and what it delivers meanwhile is
 * deduplicated by `seq` against the read, so nothing appended concurrently is lost or repeated.
 * Positions within the run (chunk numbers, event ids) are the caller's: count from the first
 * delivered event, which is the same on every node.
 *
 * @throws EngineUnavailableError when the engine cannot serve.
 */
export async function followRun(
  engine: StreamEngine,
  userId: string,
  selector: RunSelector,
): Promise<FollowRunResult> {
  const follower = new RunFollower(selector);
  const subscription = await engine.subscribe(userId, follower);
  try {
    const found = await findRun(engine, userId, selector);
    if (found.ok === false) {
      await subscription.unsubscribe();
      return found;
    }
    return { ok: true, feed: follower.found(found, subscription) };
  } catch (error) {
    await subscription.unsubscribe().catch(() => undefined);
    throw error;
  }
}

/** A run located in the stream: its id, thread and retained events so far. */
interface FoundRun {
  readonly ok: true;
  readonly runId: string;
  readonly threadId: string;
  readonly records: readonly StreamRecord[];
}

async function findRun(
  engine: StreamEngine,
  userId: string,
  selector: RunSelector,
): Promise<FoundRun | { ok: false; reason: 'not_found' | 'incomplete' }> {
  for (let attempt = 1; ; attempt++) {
    const position = await engine.position(userId);
    const inFlight = position.activeRuns.filter((run) =>
      'runId' in selector ? run.runId === selector.runId : run.threadId === selector.threadId,
    );
    const newest = inFlight[inFlight.length - 1];
    const afterSeq = newest === undefined ? position.oldestSeq - 1 : newest.firstSeq - 1;
    const read: ReadSinceResult = await engine.readSince(userId, afterSeq, position.epoch);
    // Retention moved (or the stream was reset) between the two reads: read again.
    if (!read.complete) {
      if (attempt < READ_ATTEMPTS) continue;
      return { ok: false, reason: 'not_found' };
    }
    const runId = newest?.runId ?? runIdIn(read.records, selector);
    if (runId === undefined) return { ok: false, reason: 'not_found' };
    const records = read.records.filter((record) => record.event.runId === runId);
    if (records.length === 0) return { ok: false, reason: 'not_found' };
    // In flight, the run is whole from `firstSeq`; ended, its start must still be retained.
    if (newest === undefined && !records.some((r) => r.event.type === 'agent_started')) {
      return { ok: false, reason: 'incomplete' };
    }
    return {
      ok: true,
      runId,
      threadId: records[0]!.event.threadId,
      records,
    };
  }
}

/** The selected run among retained records: the run id itself, or the thread's newest run. */
function runIdIn(records: readonly StreamRecord[], selector: RunSelector): string | undefined {
  if ('runId' in selector) return selector.runId;
  for (let i = records.length - 1; i >= 0; i--) {
    const event = records[i]!.event;
    if (event.threadId === selector.threadId) return event.runId;
  }
  return undefined;
}

const HOLDING = 0;
const LIVE = 1;
const ENDED = 2;

/**
 * The engine listener of one feed: holds what arrives until the feed starts, then delivers the
 * run's retained events, what it held, and live events, deduplicated by `seq`.
 */
class RunFollower {
  #state = HOLDING;
  #held: StreamRecord[] = [];
  /** Empty until the run is found: while looking, records of the selected thread are held. */
  #runId = '';
  #lastSeq = 0;
  #retained: readonly StreamRecord[] = [];
  #listener: RunFeedListener | undefined;
  #subscription: StreamSubscription | undefined;
  /** The stream was reset before the feed started. */
  #reset = false;

  constructor(private readonly selector: RunSelector) {}

  onEvent(record: StreamRecord): void {
    if (this.#state === LIVE) this.#deliver(record);
    else if (this.#state === HOLDING && this.#mayConcern(record)) this.#held.push(record);
  }

  onReset(): void {
    if (this.#state === ENDED) return;
    if (this.#state === HOLDING) {
      this.#reset = true;
      this.#held = [];
      return;
    }
    this.#end();
    this.#listener?.onEnd('reset');
  }

  found(run: FoundRun, subscription: StreamSubscription): RunFeed {
    this.#runId = run.runId;
    this.#retained = run.records;
    this.#subscription = subscription;
    return {
      runId: run.runId,
      threadId: run.threadId,
      start: (listener) => this.#start(listener),
      close: () => this.#close(),
    };
  }

  #start(listener: RunFeedListener): void {
    if (this.#state !== HOLDING || this.#listener !== undefined) return;
    this.#listener = listener;
    if (this.#reset) {
      // The run read a moment ago belongs to a stream that is gone.
      this.#end();
      listener.onEnd('reset');
      return;
    }
    const retained = this.#retained;
    const held = this.#held;
    this.#retained = [];
    this.#held = [];
    this.#state = LIVE;
    for (const record of retained) if (!this.#deliver(record)) return;
    for (const record of held) if (!this.#deliver(record)) return;
  }

  #mayConcern(record: StreamRecord): boolean {
    const event = record.event;
    if (this.#runId !== '') return event.runId === this.#runId;
    return 'runId' in this.selector
      ? event.runId === this.selector.runId
      : event.threadId === this.selector.threadId;
  }

  /** Delivers one record of the run once; false once the feed has ended. */
  #deliver(record: StreamRecord): boolean {
    if (this.#state !== LIVE) return false;
    const seq = record.seq;
    if (seq <= this.#lastSeq) return true;
    const event = record.event;
    if (event.runId !== this.#runId) return true;
    this.#lastSeq = seq;
    const listener = this.#listener!;
    try {
      listener.onEvent(event);
    } catch {
      // A listener must not throw (documented); the feed goes on to the terminal event.
    }
    if (event.type !== 'agent_completed') return true;
    this.#end();
    listener.onEnd('completed');
    return false;
  }

  #end(): void {
    this.#state = ENDED;
    this.#held = [];
    this.#retained = [];
    const subscription = this.#subscription;
    this.#subscription = undefined;
    void subscription?.unsubscribe().catch(() => undefined);
  }

  async #close(): Promise<void> {
    if (this.#state === ENDED) return;
    this.#state = ENDED;
    this.#held = [];
    this.#retained = [];
    const subscription = this.#subscription;
    this.#subscription = undefined;
    await subscription?.unsubscribe().catch(() => undefined);
  }
}
