import type { ActiveRun, ChatEvent, UnsequencedEvent } from '@app/ws-protocol';
import { encodeEventIds, sequenceChatEvent, type EventEncoder } from './event-encoder';
import { randomId } from './random-id';
import { RetainedEvents } from './retained-events';
import type {
  AppendResult,
  ReadSinceResult,
  RetentionSettings,
  StreamListener,
  StreamRecord,
  StreamSnapshot,
} from './stream-engine';

/**
 * What `append` returns and hands to listeners (short-lived: not what is retained). Delivery to
 * connections reads only `seq` and `json`, so the sequenced event object is built on first use.
 */
class AppendedRecord implements AppendResult {
  #event: ChatEvent | undefined;

  constructor(
    private readonly source: UnsequencedEvent,
    readonly seq: number,
    readonly json: string,
    readonly epoch: string,
  ) {}

  get event(): ChatEvent {
    return (this.#event ??= sequenceChatEvent(this.source, this.seq));
  }
}

/** A retained event handed out by `readSince`: the event object is parsed from the text. */
class RetainedRecord implements StreamRecord {
  constructor(
    readonly seq: number,
    readonly json: string,
  ) {}

  get event(): ChatEvent {
    return JSON.parse(this.json) as ChatEvent;
  }
}

/** How an appended event relates to the runs in flight (see `UserStream.append`). */
export const OUTSIDE_RUN = 0;
/** An event appended under its run's lease: the run is in flight from its first such event. */
export const RUN_EVENT = 1;
/** The terminal event of a run (or its last one): the run is no longer in flight. */
export const RUN_END = 2;

/**
 * One user's in-memory stream: `seq` from 1 without gaps under one epoch, the runs in flight
 * (from their first event to their terminal `agent_completed`), retention bounded by
 * `maxEvents`, `maxBytes` and `maxAgeMs` — except from the oldest run in flight's first event on
 * (docs/protocol.md#8-joining-mid-run) — and the subscribers that receive each event as it is
 * appended.
 */
export class UserStream {
  readonly epoch = randomId('e_');
  #latestSeq = 0;
  /** When the newest event was appended (or the stream created): drives expiry. */
  #lastActivityAt: number;
  /** Retained texts (off-heap); an entry's seq follows from its position (seqs are contiguous). */
  readonly #retained: RetainedEvents;
  /** Times are kept as ms since the stream began: small integers, never boxed. */
  readonly #startedAt: number;
  /** The ids fragment of the last run seen: consecutive events usually share it. */
  #idsRunId = '';
  #idsThreadId = '';
  #ids = '';
  /** Copy-on-write, so a listener that unsubscribes during delivery does not disturb the loop. */
  #listeners: readonly StreamListener[] = [];
  /** Runs in flight by id, in the order of their first event (so the first is the oldest). */
  readonly #active = new Map<string, ActiveRun>();
  /** The run of the last event that was checked against `#active` (consecutive events share it). */
  #trackedRunId = '';

  /**
   * @param retention Bounds of the retained events.
   * @param now Creation time (ms).
   * @param encoder The engine's encoder, shared by its streams.
   */
  constructor(
    private readonly retention: RetentionSettings,
    now: number,
    private readonly encoder: EventEncoder,
  ) {
    this.#retained = new RetainedEvents(Infinity);
    this.#startedAt = now;
    this.#lastActivityAt = now;
  }

  get listenerCount(): number {
    return this.#listeners.length;
  }

  /**
   * Sequences, retains and delivers one event. Its wire text comes from the one encoder; with
   * `payloadJson` the payload is not serialized again. `run` says whether the event belongs to a
   * run in flight ({@link RUN_EVENT}: the run is tracked from its first such event, named after
   * `agentName` or its `agent_started`) or ends one ({@link RUN_END}).
   */
  append(
    event: UnsequencedEvent,
    payloadJson: string | undefined,
    now: number,
    run: number = OUTSIDE_RUN,
    agentName?: string,
  ): AppendResult {
    const seq = ++this.#latestSeq;
    if (run === RUN_EVENT) {
      if (event.runId !== this.#trackedRunId || event.type === 'agent_started') {
        this.#track(event, seq, agentName);
      }
    } else if (run === RUN_END) {
      this.endRun(event.runId);
    }
    if (event.runId !== this.#idsRunId || event.threadId !== this.#idsThreadId) {
      this.#idsRunId = event.runId;
      this.#idsThreadId = event.threadId;
      this.#ids = encodeEventIds(event.runId, event.threadId);
    }
    const json = this.encoder.sequenced(event, seq, payloadJson, this.#ids);
    const record = new AppendedRecord(event, seq, json, this.epoch);
    this.#retained.push(json, now - this.#startedAt);
    this.#lastActivityAt = now;
    this.#trim(now);
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!.onEvent(record);
      } catch {
        // A listener's failure must not stop delivery to the others (documented contract).
      }
    }
    return record;
  }

  /**
   * The run is no longer in flight (its terminal event, or its lease given up without one): its
   * events fall under the usual retention bounds again.
   */
  endRun(runId: string): void {
    if (this.#active.delete(runId) && this.#trackedRunId === runId) this.#trackedRunId = '';
  }

  /** Registers the event's run as in flight at its first event; names its agent when known. */
  #track(event: UnsequencedEvent, seq: number, agentName: string | undefined): void {
    const runId = event.runId;
    this.#trackedRunId = runId;
    const started =
      event.type === 'agent_started'
        ? (event.payload as { agentName?: unknown }).agentName
        : undefined;
    const name = typeof started === 'string' ? started : agentName;
    const known = this.#active.get(runId);
    if (known === undefined) {
      this.#active.set(runId, {
        runId,
        threadId: event.threadId,
        agentName: name ?? '',
        firstSeq: seq,
        startedAt: event.ts,
      });
    } else if (known.agentName === '' && name !== undefined) {
      known.agentName = name;
    }
  }

  /** Drops events past the retention bounds (see {@link UserStream}). */
  prune(now: number): void {
    this.#trim(now);
  }

  #trim(now: number): void {
    const retained = this.#retained;
    const { maxEvents, maxBytes, maxAgeMs } = this.retention;
    const cutoff = now - this.#startedAt - maxAgeMs;
    let first = retained.firstTime();
    if (
      first === undefined ||
      (retained.size <= maxEvents && retained.textBytes <= maxBytes && first >= cutoff)
    ) {
      return;
    }
    const pin = this.#oldestActiveSeq();
    let oldest = this.#latestSeq - retained.size + 1;
    while (
      first !== undefined &&
      oldest < pin &&
      (retained.size > maxEvents || retained.textBytes > maxBytes || first < cutoff)
    ) {
      retained.shift();
      oldest++;
      first = retained.firstTime();
    }
  }

  /** `firstSeq` of the oldest run in flight; Infinity when none. */
  #oldestActiveSeq(): number {
    for (const run of this.#active.values()) return run.firstSeq;
    return Infinity;
  }

  position(now: number): StreamSnapshot {
    this.#trim(now);
    return {
      epoch: this.epoch,
      latestSeq: this.#latestSeq,
      oldestSeq: this.#latestSeq - this.#retained.size + 1,
      activeRuns: [...this.#active.values()].map((run) => ({ ...run })),
    };
  }

  readSince(afterSeq: number, epoch: string | undefined, now: number): ReadSinceResult {
    const { latestSeq, oldestSeq } = this.position(now);
    const complete =
      (epoch === undefined || epoch === this.epoch) &&
      Number.isSafeInteger(afterSeq) &&
      afterSeq >= oldestSeq - 1 &&
      afterSeq <= latestSeq;
    return {
      epoch: this.epoch,
      latestSeq,
      oldestSeq,
      complete,
      records: complete ? this.#retainedFrom(afterSeq + 1, oldestSeq) : [],
    };
  }

  #retainedFrom(fromSeq: number, oldestSeq: number): StreamRecord[] {
    const records: StreamRecord[] = [];
    for (let seq = fromSeq; seq <= this.#latestSeq; seq++) {
      records.push(new RetainedRecord(seq, this.#retained.textAt(seq - oldestSeq)!));
    }
    return records;
  }

  /** Bytes of retained text held off-heap. */
  get retainedBytes(): number {
    return this.#retained.bytes;
  }

  /** True when nobody listens, no run is in flight and the newest event is older than maxAgeMs. */
  isExpired(now: number): boolean {
    return (
      this.#listeners.length === 0 &&
      this.#active.size === 0 &&
      now - this.#lastActivityAt > this.retention.maxAgeMs
    );
  }

  addListener(listener: StreamListener): void {
    this.#listeners = [...this.#listeners, listener];
  }

  removeListener(listener: StreamListener): void {
    this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  /** Hands the listeners over to the stream that replaces this one (reset). */
  takeListeners(): readonly StreamListener[] {
    const listeners = this.#listeners;
    this.#listeners = [];
    return listeners;
  }
}
