import type { ChatEvent, EventError, RunStatus } from '@app/ws-protocol';

/** Where a run stands: `running` until its `agent_completed`, then that event's status. */
export type RunViewStatus = 'running' | RunStatus;

/** The events a run's timeline shows, one entry each (the deltas make up its text instead). */
export type RunStep = ChatEvent<
  'agent_started' | 'agent_thinking' | 'tool_executing' | 'tool_completed' | 'agent_completed'
>;

/** One tool call of a run: from its `tool_executing`, completed by its `tool_completed`. */
export interface ToolCallView {
  readonly toolCallId: string;
  readonly toolName: string;
  /** The call's arguments, as `tool_executing` carried them. */
  readonly args: Readonly<Record<string, unknown>>;
  /** `running` until its `tool_completed`, then `ok` or `failed`. */
  readonly status: 'running' | 'ok' | 'failed';
  /** The tool's result, when it completed `ok`. */
  readonly result?: unknown;
  /** Why it failed, when it did. */
  readonly error?: EventError;
  /** How long it took, once completed. */
  readonly durationMs?: number;
}

/**
 * What a UI needs to draw one run, folded from its events by {@link reduceRunView}: who runs it,
 * every step in order, its tool calls with arguments and results, the answer so far and how it
 * ended. Immutable: each event that changes the run yields a new object (unchanged parts shared).
 */
export interface RunView {
  readonly runId: string;
  readonly threadId: string;
  /** From `agent_started`; `undefined` until it was seen. */
  readonly agentName: string | undefined;
  /** The user's text that started the run (`agent_started.input`, else the `user_message`). */
  readonly input: string | undefined;
  /** The run's `user_message`, when it had one and it was seen. */
  readonly userMessage: { readonly messageId: string; readonly text: string } | undefined;
  readonly status: RunViewStatus;
  /** The timeline: `agent_started`, `agent_thinking`, `tool_executing`, `tool_completed`, `agent_completed`, in `seq` order. */
  readonly steps: readonly RunStep[];
  /** The tool calls, in the order they started. */
  readonly toolCalls: readonly ToolCallView[];
  /** The streamed answer so far: every `agent_response_delta` in order. */
  readonly text: string;
  /** How many deltas make up {@link text}. */
  readonly deltaCount: number;
  /** The final response of `agent_completed`, when it carried one; it wins over {@link text}. */
  readonly response: string | undefined;
  /** Why the run did not succeed, from `agent_completed`. */
  readonly error: EventError | undefined;
  /** The run's duration, from `agent_completed`. */
  readonly durationMs: number | undefined;
  /** The `ts` of the first event folded (the run's start when {@link fromStart}). */
  readonly startedAt: string;
  /** The `seq` of the first and of the latest event folded. */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /**
   * Whether the run's first event (its `user_message`, or `agent_started`) was folded: `false`
   * for a view that joined mid-run without catching up, whose steps are only the later ones.
   */
  readonly fromStart: boolean;
}

/**
 * Folds one stream event into the view of its run: pure, no I/O. `view` undefined starts a new
 * view from `event`. An event of another run, or one already folded (`seq <= view.lastSeq`),
 * returns `view` unchanged; so does anything after the run's `agent_completed`.
 *
 * @example
 * let view: RunView | undefined;
 * client.on('event', (event) => { if (event.runId === runId) view = reduceRunView(view, event); });
 */
export function reduceRunView(view: RunView | undefined, event: ChatEvent): RunView {
  if (view === undefined) return fold(startView(event), event);
  if (event.runId !== view.runId || event.seq <= view.lastSeq || view.status !== 'running') {
    return view;
  }
  return fold(view, event);
}

/** Folds events in order into views, one per run (a convenience over {@link reduceRunView}). */
export function foldRunViews(
  events: Iterable<ChatEvent>,
  views: ReadonlyMap<string, RunView> = new Map(),
): Map<string, RunView> {
  const folded = new Map(views);
  for (const event of events)
    folded.set(event.runId, reduceRunView(folded.get(event.runId), event));
  return folded;
}

/**
 * The view of a run none of whose events has been folded yet (`lastSeq` 0): what a UI draws
 * before the run's first event arrives, or fills from stored history. Folding any event of the
 * run into it with {@link reduceRunView} continues from there.
 */
export function emptyRunView(runId: string, threadId: string, startedAt: string): RunView {
  return {
    runId,
    threadId,
    agentName: undefined,
    input: undefined,
    userMessage: undefined,
    status: 'running',
    steps: [],
    toolCalls: [],
    text: '',
    deltaCount: 0,
    response: undefined,
    error: undefined,
    durationMs: undefined,
    startedAt,
    firstSeq: 0,
    lastSeq: 0,
    fromStart: false,
  };
}

function startView(event: ChatEvent): RunView {
  return {
    ...emptyRunView(event.runId, event.threadId, event.ts),
    firstSeq: event.seq,
    lastSeq: event.seq,
    fromStart: event.type === 'user_message' || event.type === 'agent_started',
  };
}

function fold(view: RunView, event: ChatEvent): RunView {
  const next = { ...view, lastSeq: event.seq };
  switch (event.type) {
    case 'user_message':
      return {
        ...next,
        userMessage: { messageId: event.payload.messageId, text: event.payload.text },
        input: view.input ?? event.payload.text,
      };
    case 'agent_started':
      return {
        ...next,
        agentName: event.payload.agentName,
        input: event.payload.input,
        steps: [...view.steps, event],
      };
    case 'agent_thinking':
      return { ...next, steps: [...view.steps, event] };
    case 'tool_executing': {
      const { toolCallId, toolName, args } = event.payload;
      const call: ToolCallView = { toolCallId, toolName, args, status: 'running' };
      return { ...next, steps: [...view.steps, event], toolCalls: [...view.toolCalls, call] };
    }
    case 'tool_completed':
      return { ...next, steps: [...view.steps, event], toolCalls: completeCall(view, event) };
    case 'agent_response_delta':
      return { ...next, text: view.text + event.payload.delta, deltaCount: view.deltaCount + 1 };
    case 'agent_completed':
      return {
        ...next,
        steps: [...view.steps, event],
        status: event.payload.status,
        response: event.payload.response,
        error: event.payload.error,
        durationMs: event.payload.durationMs,
      };
  }
}

function completeCall(view: RunView, event: ChatEvent<'tool_completed'>): ToolCallView[] {
  const { toolCallId, toolName, ok, result, error, durationMs } = event.payload;
  const done: ToolCallView = {
    toolCallId,
    toolName,
    args: {},
    status: ok ? 'ok' : 'failed',
    ...(ok ? { result } : {}),
    ...(error === undefined ? {} : { error }),
    durationMs,
  };
  const index = view.toolCalls.findIndex((call) => call.toolCallId === toolCallId);
  // A completion without its start (a view joined mid-call) still shows the call.
  if (index === -1) return [...view.toolCalls, done];
  return view.toolCalls.map((call, at) => (at === index ? { ...done, args: call.args } : call));
}

/** The answer a UI shows: the final response when the run ended with one, else the text so far. */
export function runAnswer(view: RunView): string {
  return view.response ?? view.text;
}
