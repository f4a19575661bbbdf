/**
 * The page's model of the user's conversations, built from the event stream (and, when the
 * server keeps history, from `GET /api/v1/threads…`). No DOM here: views subscribe to changes.
 *
 * The stream already arrives exactly once and in order (the client SDK guarantees it), so the
 * store applies every event it is given; it never filters duplicates itself.
 */
import type { ChatEvent, RunStatus } from '@app/ws-protocol';
import type { HistoryMessage, HistoryToolCall, ThreadSummary } from './server-api.js';

/** A run's phase: running until its `agent_completed`. */
export type RunPhase = 'running' | RunStatus;

/** The events a run's timeline shows, one row each (deltas make up the answer instead). */
export type TimelineEvent = ChatEvent<
  'agent_started' | 'agent_thinking' | 'tool_executing' | 'tool_completed' | 'agent_completed'
>;

/** One run of an agent. */
export interface RunState {
  readonly runId: string;
  readonly threadId: string;
  phase: RunPhase;
  agentName: string | undefined;
  /** The streamed pieces of the answer, in order. */
  readonly deltas: ChatEvent<'agent_response_delta'>[];
  /** The final response, once the run completed with one (it wins over the deltas). */
  response: string | undefined;
  readonly timeline: TimelineEvent[];
  /** For a run loaded from history (which has no events): its tool calls. */
  readonly historyTools: readonly HistoryToolCall[];
  /** When the run started (its first event), for the timeline's relative times. */
  startedAt: string | undefined;
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

  /** Applies one stream event. */
  apply(event: ChatEvent): void {
    const thread = this.#ensureThread(event.threadId, event.ts);
    thread.updatedAt = event.ts > thread.updatedAt ? event.ts : thread.updatedAt;
    if (event.type === 'user_message') {
      if (thread.items.length === 0) thread.title = titleOf(event.payload.text);
      thread.items.push({
        kind: 'user',
        messageId: event.payload.messageId,
        runId: event.runId,
        text: event.payload.text,
        ts: event.ts,
        seq: event.seq,
      });
      this.#ensureRun(thread, event.runId, event.ts);
      this.#emit({ type: 'thread_items', threadId: thread.threadId });
      this.#emit({ type: 'threads' });
      return;
    }
    const run = this.#ensureRun(thread, event.runId, event.ts);
    switch (event.type) {
      case 'agent_response_delta':
        run.deltas.push(event);
        break;
      case 'agent_started':
        run.agentName = event.payload.agentName;
        if (thread.title === '') thread.title = titleOf(event.payload.input);
        run.timeline.push(event);
        break;
      case 'agent_completed':
        run.phase = event.payload.status;
        run.response = event.payload.response;
        run.timeline.push(event);
        this.#emit({ type: 'threads' });
        break;
      default:
        run.timeline.push(event);
    }
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
        phase: toPhase(message.status),
        agentName: undefined,
        deltas: [],
        response: message.text === '' ? undefined : message.text,
        timeline: [],
        historyTools: Array.isArray(message.tools) ? message.tools : [],
        startedAt: message.createdAt,
      });
      history.push({ kind: 'run', runId: message.runId });
    }
    thread.items.unshift(...history);
    thread.loaded = true;
    if (thread.title === '' && history[0]?.kind === 'user') thread.title = titleOf(history[0].text);
    this.#emit({ type: 'thread_loaded', threadId });
    this.#emit({ type: 'threads' });
  }

  #ensureThread(threadId: string, ts: string): ThreadState {
    let thread = this.#threads.get(threadId);
    if (!thread) {
      thread = { threadId, title: '', createdAt: ts, updatedAt: ts, items: [], loaded: true };
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
        phase: 'running',
        agentName: undefined,
        deltas: [],
        response: undefined,
        timeline: [],
        historyTools: [],
        startedAt: ts,
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

function toPhase(status: string | undefined): RunPhase {
  switch (status) {
    case 'error':
    case 'cancelled':
    case 'timeout':
      return status;
    default:
      return 'success';
  }
}
