/**
 * One run as a card, drawn from the SDK's run view model: agent, status, a live timeline (one row
 * per step: started, thinking, each tool call with its arguments, each result with its duration,
 * the final status), the streamed answer, and a cancel button while it runs. Rows are appended as
 * the view grows, never redrawn; a card made mid-run (a late tab, a reload) draws the whole run.
 */
import type { RunStep, RunViewStatus } from '@app/ws-client';
import type { RunState } from './conversation-store.js';
import { el } from './element-builder.js';
import type { HistoryToolCall } from './server-api.js';

/** A rendered run; call `update` after every change of its state. */
export interface RunCard {
  readonly element: HTMLElement;
  update(run: RunState): void;
}

const PHASE_LABELS: Record<RunViewStatus, string> = {
  running: 'Running',
  success: 'Success',
  error: 'Error',
  cancelled: 'Cancelled',
  timeout: 'Timed out',
};

/**
 * @param onCancel called when the cancel button is pressed; the button stays disabled until the
 *   returned promise settles (the run's `agent_completed` then ends it)
 */
export function createRunCard(run: RunState, onCancel: (runId: string) => Promise<void>): RunCard {
  const status = el('span', { className: 'status-pill', testId: 'run-status' });
  const duration = el('span', { className: 'run-duration', testId: 'run-duration' });
  const cancel = el('button', {
    className: 'button button--small button--danger',
    testId: 'cancel-run',
    text: 'Cancel',
    attrs: { type: 'button' },
  });
  const agent = el('span', { className: 'run-agent', testId: 'run-agent', text: 'Agent' });
  const timeline = el('ol', { className: 'timeline', testId: 'timeline' });
  const answer = el('div', { className: 'run-answer', testId: 'run-answer' });
  const element = el(
    'article',
    { className: 'run', testId: 'run', attrs: { 'data-run-id': run.runId } },
    [
      el('header', { className: 'run-header' }, [agent, status, duration, cancel]),
      timeline,
      answer,
    ],
  );

  cancel.addEventListener('click', () => {
    cancel.disabled = true;
    cancel.textContent = 'Cancelling…';
    onCancel(run.runId).catch((error: unknown) => {
      // `not_found`: the run ended meanwhile; its `agent_completed` updates the card.
      cancel.title = error instanceof Error ? error.message : String(error);
      cancel.disabled = false;
      cancel.textContent = 'Cancel';
    });
  });

  let rendered = 0;
  let streamed = 0;
  const update = (state: RunState): void => {
    const { view } = state;
    element.dataset.status = view.status;
    status.textContent = PHASE_LABELS[view.status];
    status.dataset.status = view.status;
    agent.textContent = view.agentName ?? 'Agent';
    cancel.hidden = view.status !== 'running';
    for (; rendered < view.steps.length; rendered++) {
      const step = view.steps[rendered];
      if (step) timeline.append(renderEntry(step, view.startedAt));
    }
    duration.textContent = view.durationMs === undefined ? '' : formatDuration(view.durationMs);
    for (; streamed < state.pieces.length; streamed++) {
      const piece = state.pieces[streamed];
      if (!piece) continue;
      const start = state.pieces[streamed - 1]?.end ?? 0;
      answer.append(
        el('span', {
          text: view.text.slice(start, piece.end),
          attrs: { 'data-seq': String(piece.seq) },
        }),
      );
    }
    // The final response is authoritative: deltas are optional and need not add up to it.
    // `data-source` says which one is shown (`stream` when the deltas made up the response).
    // What the pieces show is the text up to the last piece's end: comparing strings, not reading
    // `answer.textContent` (thousands of spans in a long stream), keeps an update O(new pieces).
    const streamedText = view.text.slice(0, state.pieces[state.pieces.length - 1]?.end ?? 0);
    if (answer.dataset.source === 'response') {
      // Shown already; a run's response does not change.
    } else if (view.response !== undefined && streamedText !== view.response) {
      answer.textContent = view.response;
      answer.dataset.source = 'response';
    } else {
      answer.dataset.source = 'stream';
    }
    const shown = answer.dataset.source === 'response' ? (view.response ?? '') : streamedText;
    answer.hidden = shown === '';
    answer.classList.toggle('run-answer--streaming', view.status === 'running');
  };
  timeline.append(...run.historyTools.map(renderHistoryTool));
  update(run);
  return { element, update };
}

function renderEntry(event: RunStep, startedAt: string | undefined): HTMLElement {
  const { label, body, tone } = describe(event);
  return el(
    'li',
    {
      className: `entry entry--${tone}`,
      testId: 'timeline-entry',
      attrs: { 'data-type': event.type, 'data-seq': String(event.seq) },
    },
    [
      el('span', { className: 'entry-marker', attrs: { 'aria-hidden': 'true' } }),
      el('div', { className: 'entry-content' }, [
        el('span', { className: 'entry-label', text: label }),
        body,
      ]),
      el('time', {
        className: 'entry-time',
        text: relativeTime(event.ts, startedAt),
        attrs: { datetime: event.ts },
      }),
    ],
  );
}

function describe(event: RunStep): { label: string; body: HTMLElement; tone: string } {
  switch (event.type) {
    case 'agent_started':
      return {
        label: 'Started',
        body: el('span', { className: 'entry-text', text: event.payload.agentName }),
        tone: 'neutral',
      };
    case 'agent_thinking':
      return {
        label: 'Thinking',
        body: el('span', {
          className: 'entry-text entry-text--thinking',
          text: event.payload.text,
        }),
        tone: 'thinking',
      };
    case 'tool_executing':
      return {
        label: 'Tool call',
        body: el('span', { className: 'entry-text' }, [
          el('strong', {
            className: 'tool-name',
            testId: 'tool-name',
            text: event.payload.toolName,
          }),
          ' ',
          el('code', {
            className: 'tool-args',
            testId: 'tool-args',
            text: formatArgs(event.payload.args),
          }),
        ]),
        tone: 'tool',
      };
    case 'tool_completed': {
      const { ok, toolName, durationMs } = event.payload;
      const outcome = ok
        ? el('code', {
            className: 'tool-result',
            testId: 'tool-result',
            text: formatValue(event.payload.result),
          })
        : el('span', {
            className: 'tool-error',
            testId: 'tool-error',
            text: event.payload.error
              ? `${event.payload.error.code}: ${event.payload.error.message}`
              : 'failed',
          });
      return {
        label: ok ? 'Tool result' : 'Tool failed',
        body: el('span', { className: 'entry-text' }, [
          el('strong', { className: 'tool-name', text: toolName }),
          ' → ',
          outcome,
          el('span', {
            className: 'tool-duration',
            testId: 'tool-duration',
            text: ` · ${formatDuration(durationMs)}`,
          }),
        ]),
        tone: ok ? 'tool' : 'failure',
      };
    }
    case 'agent_completed': {
      const { status, error } = event.payload;
      return {
        label: PHASE_LABELS[status],
        body: el('span', {
          className: 'entry-text',
          text: error
            ? `${error.code}: ${error.message}`
            : `in ${formatDuration(event.payload.durationMs)}`,
        }),
        tone: status === 'success' ? 'success' : status === 'cancelled' ? 'neutral' : 'failure',
      };
    }
  }
}

/** A tool call of a run loaded from history: no events, no result, one row. */
function renderHistoryTool(tool: HistoryToolCall): HTMLElement {
  return el(
    'li',
    {
      className: `entry entry--${tool.ok ? 'tool' : 'failure'}`,
      testId: 'timeline-entry',
      attrs: { 'data-type': 'history_tool' },
    },
    [
      el('span', { className: 'entry-marker', attrs: { 'aria-hidden': 'true' } }),
      el('div', { className: 'entry-content' }, [
        el('span', { className: 'entry-label', text: tool.ok ? 'Tool call' : 'Tool failed' }),
        el('span', { className: 'entry-text' }, [
          el('strong', { className: 'tool-name', testId: 'tool-name', text: tool.name }),
          ' ',
          el('code', { className: 'tool-args', testId: 'tool-args', text: formatArgs(tool.args) }),
          el('span', {
            className: 'tool-duration',
            testId: 'tool-duration',
            text: ` · ${formatDuration(tool.durationMs)}`,
          }),
        ]),
      ]),
      el('time', { className: 'entry-time' }),
    ],
  );
}

/** `expression: 12*(3+4)` — strings raw, everything else as JSON. */
function formatArgs(args: Record<string, unknown>): string {
  const parts = Object.entries(args).map(([name, value]) => `${name}: ${formatValue(value)}`);
  return parts.length === 0 ? '(no arguments)' : parts.join(', ');
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '(nothing)';
  return JSON.stringify(value);
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function relativeTime(ts: string, startedAt: string | undefined): string {
  if (startedAt === undefined) return '';
  const ms = Date.parse(ts) - Date.parse(startedAt);
  return Number.isFinite(ms) ? `+${(Math.max(0, ms) / 1000).toFixed(1)} s` : '';
}
