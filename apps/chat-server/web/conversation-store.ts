/**
 * The page's model of the user's conversations, built from the event stream (and, when the
 * server keeps history, from `GET /api/v1/threads…`). No DOM here: views subscribe to changes.
 *
 * The stream already arrives exactly once and in order (the client SDK guarantees it, and catches
 * up on runs in flight when the page opens mid-run), so the store applies every event it is given.
 * Each run is the SDK's view model (`reduceRunView`): the page never folds events itself.
 */
import { emptyRunView, reduceRunView, type RunView, type RunViewStatus } from '@app/ws-client';
import type { ChatEvent } from '@app/ws-protocol';
import type { HistoryMessage, HistoryToolCall, ThreadSummary } from './server-api.js';

/** One streamed piece of a run's answer: where it ends in `view.text`, and its `seq`. */
interface AnswerPiece {
  readonly seq: number;
  readonly end: number;
}

/** One run of an agent. */
export interface RunState {
  readonly runId: string;
  readonly threadId: string;
  /** Where it comes from: the event stream, or the history (a run that had ended). */
  readonly source: 'stream' | 'history';
  /**
   * The SDK's view of the run (`lastSeq` 0 until its first event); for a run loaded from the
   * history, one made from the stored message.
   */
  view: RunView;
  /** The deltas of {@link view}`.text`, so the card can show each piece with its `seq`. */
  readonly pieces: AnswerPiece[];
  /** For a run loaded from history (which has no events): its tool calls. */
  readonly historyTools: readonly HistoryToolCall[];
}

/** What a thread shows, in order. */
export type ThreadItem =
  | { kind: 'user'; messageId: string; runId: string; text: string; ts: string; seq?: number }
  | { kind: 'run'; runId: string };

/** One conversation. */
export interface ThreadState {
  readonly threadId: string;
  title: string;
  readonly createdAt: string;
  updatedAt: string;
  readonly items: ThreadItem[];
  /** Whether its items are known (from the stream of this session or loaded history). */
  loaded: boolean;
}

/** What changed, so views update only that. */
export type StoreChange =
  | { type: 'threads' }
  | { type: 'thread_items'; threadId: string }
  /** Items were inserted before the ones already there (loaded history): render it again. */
  | { type: 'thread_loaded'; threadId: string }
  | { type: 'run'; runId: string };

const TITLE_LENGTH = 60;

/** Holds threads and runs; {@link ConversationStore.apply} feeds it the stream. */
export class ConversationStore {
  readonly #threads = new Map<string, ThreadState>();
  readonly #runs = new Map<string, RunState>();
  readonly #listeners = new Set<(change: StoreChange) => void>();

  /** Calls `listener` after each change; returns its removal. */
  subscribe(listener: (change: StoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The threads, most recently updated first. */
  threads(): ThreadState[] {
    return [...this.#threads.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  thread(threadId: string): ThreadState | undefined {
    return this.#threads.get(threadId);
  }

  run(runId: string): RunState | undefined {
    return this.#runs.get(runId);
  }

  /** The run a thread's latest run item points to. */
  latestRun(threadId: string): RunState | undefined {
    const items = this.#threads.get(threadId)?.items ?? [];
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (item?.kind === 'run') return this.#runs.get(item.runId);
    }
    return undefined;
  }

  /**
   * Applies one stream event.
   *
   * @param options.catchingUp the event comes from the SDK's catch-up on runs in flight: a thread
   *   it makes may hold earlier messages, so it is marked for loading from the history
   */
  apply(event: ChatEvent, options: { catchingUp?: boolean } = {}): void {
    const thread = this.#ensureThread(event.threadId, event.ts, options.catchingUp !== true);
    thread.updatedAt = event.ts > thread.updatedAt ? event.ts : thread.updatedAt;
    let relabelled = false;
    if (event.type === 'user_message') {
      if (thread.items.length === 0) thread.title = titleOf(event.payload.text);
      const shown = thread.items.find(
        (item) => item.kind === 'user' && item.messageId === event.payload.messageId,
      );
      // Loaded from the history before its event arrived: the event only adds its `seq`.
      if (shown?.kind === 'user') {
        shown.seq = event.seq;
        relabelled = true;
      } else {
        thread.items.push({
          kind: 'user',
          messageId: event.payload.messageId,
          runId: event.runId,
          text: event.payload.text,
          ts: event.ts,
          seq: event.seq,
        });
      }
    }
    const run = this.#ensureRun(thread, event.runId, event.ts);
    const before = run.view;
    // A run loaded from the history already ended: its stored state is final.
    if (run.source === 'stream') {
      run.view = reduceRunView(before.lastSeq === 0 ? undefined : before, event);
    }
    if (run.view.deltaCount > before.deltaCount) {
      run.pieces.push({ seq: event.seq, end: run.view.text.length });
    }
    if (event.type === 'user_message') {
      const type = relabelled ? 'thread_loaded' : 'thread_items';
      this.#emit({ type, threadId: thread.threadId });
      this.#emit({ type: 'threads' });
      return;
    }
    if (event.type === 'agent_started' && thread.title === '') {
      thread.title = titleOf(event.payload.input);
    }
    if (event.type === 'agent_completed') this.#emit({ type: 'threads' });
    this.#emit({ type: 'run', runId: run.runId });
  }

  /** Adds threads listed by the server that this session does not know yet. */
  importThreads(summaries: readonly ThreadSummary[]): void {
    for (const summary of summaries) {
      if (this.#threads.has(summary.threadId)) continue;
      this.#threads.set(summary.threadId, {
        threadId: summary.threadId,
        title: summary.title,
        createdAt: summary.createdAt,
        updatedAt: summary.updatedAt,
        items: [],
        loaded: false,
      });
    }
    this.#emit({ type: 'threads' });
  }

  /**
   * Fills a thread from its stored messages. Runs this session already follows keep their live
   * state; messages already shown are skipped.
   */
  importMessages(threadId: string, messages: readonly HistoryMessage[]): void {
    const thread = this.#ensureThread(
      threadId,
      messages[0]?.createdAt ?? new Date(0).toISOString(),
    );
    const shown = new Set(thread.items.map((item) => (item.kind === 'user' ? item.messageId : '')));
    const history: ThreadItem[] = [];
    for (const message of messages) {
      if (message.role === 'user') {
        if (shown.has(message.messageId)) continue;
        history.push({
          kind: 'user',
          messageId: message.messageId,
          runId: message.runId,
          text: message.text,
          ts: message.createdAt,
        });
        continue;
      }
      if (this.#runs.has(message.runId)) continue;
      this.#runs.set(message.runId, {
        runId: message.runId,
        threadId,
        source: 'history',
        view: historyView(threadId, message),
        pieces: [],
        historyTools: Array.isArray(message.tools) ? message.tools : [],
      });
      history.push({ kind: 'run', runId: message.runId });
    }
    thread.items.unshift(...history);
    thread.loaded = true;
    if (thread.title === '' && history[0]?.kind === 'user') thread.title = titleOf(history[0].text);
    this.#emit({ type: 'thread_loaded', threadId });
    this.#emit({ type: 'threads' });
  }

  #ensureThread(threadId: string, ts: string, loaded = true): ThreadState {
    let thread = this.#threads.get(threadId);
    if (!thread) {
      thread = { threadId, title: '', createdAt: ts, updatedAt: ts, items: [], loaded };
      this.#threads.set(threadId, thread);
      this.#emit({ type: 'threads' });
    }
    return thread;
  }

  #ensureRun(thread: ThreadState, runId: string, ts: string): RunState {
    let run = this.#runs.get(runId);
    if (!run) {
      run = {
        runId,
        threadId: thread.threadId,
        source: 'stream',
        view: emptyRunView(runId, thread.threadId, ts),
        pieces: [],
        historyTools: [],
      };
      this.#runs.set(runId, run);
      thread.items.push({ kind: 'run', runId });
      this.#emit({ type: 'thread_items', threadId: thread.threadId });
    }
    return run;
  }

  #emit(change: StoreChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

function titleOf(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

/** A run as the history stored it: how it ended and its answer, no events. */
function historyView(threadId: string, message: HistoryMessage): RunView {
  return {
    ...emptyRunView(message.runId, threadId, message.createdAt),
    status: toStatus(message.status),
    response: message.text === '' ? undefined : message.text,
    fromStart: true,
  };
}

function toStatus(status: string | undefined): RunViewStatus {
  switch (status) {
    case 'error':
    case 'cancelled':
    case 'timeout':
      return status;
    default:
      return 'success';
  }
}
