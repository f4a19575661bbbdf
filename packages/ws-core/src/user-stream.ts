import type { ChatEvent, UnsequencedEvent } from '@app/ws-protocol';
import { encodeEventIds, sequenceChatEvent, type EventEncoder } from './event-encoder';
import { randomId } from './random-id';
import { RetainedEvents } from './retained-events';
import type {
  AppendResult,
  ReadSinceResult,
  RetentionSettings,
  StreamListener,
  StreamPosition,
  StreamRecord,
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

/**
 * One user's in-memory stream: `seq` from 1 without gaps under one epoch, retention bounded by
 * `maxEvents` and `maxAgeMs`, and the subscribers that receive each event as it is appended.
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
    this.#retained = new RetainedEvents(retention.maxEvents);
    this.#startedAt = now;
    this.#lastActivityAt = now;
  }

  get listenerCount(): number {
    return this.#listeners.length;
  }

  /**
   * Sequences, retains and delivers one event. Its wire text comes from the one encoder; with
   * `payloadJson` the payload is not serialized again.
   */
  append(event: UnsequencedEvent, payloadJson: string | undefined, now: number): AppendResult {
    const seq = ++this.#latestSeq;
    if (event.runId !== this.#idsRunId || event.threadId !== this.#idsThreadId) {
      this.#idsRunId = event.runId;
      this.#idsThreadId = event.threadId;
      this.#ids = encodeEventIds(event.runId, event.threadId);
    }
    const json = this.encoder.sequenced(event, seq, payloadJson, this.#ids);
    const record = new AppendedRecord(event, seq, json, this.epoch);
    this.#retained.push(json, now - this.#startedAt);
    this.#lastActivityAt = now;
    this.prune(now);
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

  /** Drops events older than maxAgeMs. */
  prune(now: number): void {
    const cutoff = now - this.#startedAt - this.retention.maxAgeMs;
    let first = this.#retained.firstTime();
    while (first !== undefined && first < cutoff) {
      this.#retained.shift();
      first = this.#retained.firstTime();
    }
  }

  position(now: number): StreamPosition {
    this.prune(now);
    return {
      epoch: this.epoch,
      latestSeq: this.#latestSeq,
      oldestSeq: this.#latestSeq - this.#retained.size + 1,
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

  /** True when nobody listens and the newest event is older than maxAgeMs. */
  isExpired(now: number): boolean {
    return this.#listeners.length === 0 && now - this.#lastActivityAt > this.retention.maxAgeMs;
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
