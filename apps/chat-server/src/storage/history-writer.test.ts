import { setTimeout as sleep } from 'node:timers/promises';
import { captureLogs, createLogger, type LogCapture } from '@app/logging-ssot';
import type { RunCompletionInfo, UserMessageInfo } from '@app/ws-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunResultRecord, UserMessageRecord } from './history-store.js';
import { HistoryWriter, type HistoryWriterOptions } from './history-writer.js';

/** A store whose writes fail while `failures` is above zero (each attempt uses one). */
class FlakyStore {
  failures = 0;
  hang = false;
  attempts = 0;
  readonly users: UserMessageRecord[] = [];
  readonly runs: RunResultRecord[] = [];

  recordUserMessage(record: UserMessageRecord): Promise<void> {
    return this.#write(() => this.users.push(record));
  }

  recordRunResult(record: RunResultRecord): Promise<void> {
    return this.#write(() => this.runs.push(record));
  }

  async #write(land: () => void): Promise<void> {
    this.attempts += 1;
    if (this.hang) return new Promise(() => undefined);
    await sleep(1);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    }
    land();
  }
}

const message: UserMessageInfo = {
  userId: 'alice',
  threadId: 't_1',
  runId: 'r_1',
  messageId: 'm_1',
  text: 'what is 12*(3+4)?',
  ts: '2030-01-01T00:00:00.000Z',
};

const completion: RunCompletionInfo = {
  userId: 'alice',
  threadId: 't_1',
  runId: 'r_1',
  agentName: 'assistant',
  input: 'what is 12*(3+4)?',
  payload: { status: 'success', response: '12*(3+4) = 84.', durationMs: 12 },
  tools: [
    {
      toolCallId: 'c_1',
      toolName: 'calculator',
      args: { expression: '12*(3+4)' },
      ok: true,
      durationMs: 2,
    },
  ],
};

let logs: LogCapture;
let store: FlakyStore;

beforeEach(() => {
  logs = captureLogs({ level: 'debug', silent: true });
  store = new FlakyStore();
});

afterEach(() => {
  logs.stop();
});

function writer(options: Partial<HistoryWriterOptions> = {}): HistoryWriter {
  return new HistoryWriter({
    store,
    logger: createLogger('history'),
    retryDelayMs: 5,
    now: () => Date.parse('2030-01-01T00:00:01.000Z'),
    ...options,
  });
}

function historyLines(): { severity: string; message: string; [key: string]: unknown }[] {
  return logs.entries.filter((entry) => entry.component === 'history');
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000; // a guard against a hang, not a latency bound
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('HistoryWriter', () => {
  it('writes the user message and the run result, mapped to records', async () => {
    const hooks = writer().hooks;
    await hooks.onUserMessage?.(message);
    await hooks.beforeRunCompleted?.(completion);
    expect(store.users).toEqual([
      {
        userId: 'alice',
        threadId: 't_1',
        runId: 'r_1',
        messageId: 'm_1',
        text: message.text,
        createdAt: message.ts,
      },
    ]);
    expect(store.runs).toEqual([
      {
        userId: 'alice',
        threadId: 't_1',
        runId: 'r_1',
        status: 'success',
        text: '12*(3+4) = 84.',
        tools: [{ name: 'calculator', args: { expression: '12*(3+4)' }, ok: true, durationMs: 2 }],
        input: message.text,
        createdAt: '2030-01-01T00:00:01.000Z',
      },
    ]);
    expect(historyLines()).toEqual([]);
  });

  it('stores an empty text for a run without a response', async () => {
    await writer().hooks.beforeRunCompleted?.({
      ...completion,
      payload: { status: 'error', error: { code: 'agent_error', message: 'boom' }, durationMs: 1 },
      tools: [],
    });
    expect(store.runs[0]).toMatchObject({ status: 'error', text: '', tools: [] });
  });

  it('resolves the hook on failure and retries in the background, logging each failure once', async () => {
    store.failures = 2;
    const history = writer();
    await expect(history.hooks.beforeRunCompleted?.(completion)).resolves.toBeUndefined();
    expect(store.runs).toHaveLength(0);
    await until(() => store.runs.length === 1, 'the retried write');
    expect(store.attempts).toBe(3);
    expect(history.pendingRetries).toBe(0);
    const lines = historyLines();
    expect(lines.map((line) => [line.severity, line.attempts])).toEqual([
      ['WARNING', 1],
      ['WARNING', 2],
    ]);
    for (const line of lines) {
      expect(line).toMatchObject({
        message: 'History write failed; retrying in the background',
        write: 'run_result',
        userId: 'alice',
        threadId: 't_1',
        runId: 'r_1',
        error: 'connect ECONNREFUSED 127.0.0.1:5432',
      });
    }
  });

  it('gives up after maxRetries retries, with one error line', async () => {
    store.failures = 1000;
    const history = writer({ maxRetries: 3 });
    await history.hooks.onUserMessage?.(message);
    await until(() => historyLines().some((line) => line.severity === 'ERROR'), 'giving up');
    await sleep(100);
    expect(store.attempts).toBe(4);
    expect(history.pendingRetries).toBe(0);
    const lines = historyLines();
    expect(lines.map((line) => line.severity)).toEqual(['WARNING', 'WARNING', 'WARNING', 'ERROR']);
    expect(lines.at(-1)).toMatchObject({
      message: 'History write failed; giving up',
      write: 'user_message',
      attempts: 4,
      userId: 'alice',
      threadId: 't_1',
      runId: 'r_1',
    });
  });

  it('bounds the writes waiting for a retry and drops the excess, logged', async () => {
    store.failures = 1000;
    const history = writer({ maxPendingRetries: 2, retryDelayMs: 10_000 });
    for (const runId of ['r_1', 'r_2', 'r_3']) {
      await history.hooks.beforeRunCompleted?.({ ...completion, runId });
    }
    expect(history.pendingRetries).toBe(2);
    const dropped = historyLines().filter((line) => line.severity === 'ERROR');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ runId: 'r_3', maxPendingRetries: 2 });
    store.failures = 0;
    await history.close();
    expect(store.runs.map((run) => run.runId)).toEqual(['r_1', 'r_2']);
    expect(history.pendingRetries).toBe(0);
  });

  it('on close gives waiting writes one last attempt, then drops later hook calls', async () => {
    store.failures = 1000;
    const history = writer({ retryDelayMs: 10_000 });
    await history.hooks.onUserMessage?.(message);
    expect(history.pendingRetries).toBe(1);
    await history.close();
    expect(store.attempts).toBe(2);
    await history.hooks.beforeRunCompleted?.(completion);
    expect(store.attempts).toBe(2);
    const errors = historyLines().filter((line) => line.severity === 'ERROR');
    expect(errors.map((line) => line.message)).toEqual([
      'History write dropped at shutdown after failing',
      'History write dropped: the server is shutting down',
    ]);
  });

  it('close is bounded when the database hangs', async () => {
    vi.useFakeTimers();
    try {
      store.hang = true;
      const history = writer();
      void history.hooks.onUserMessage?.(message);
      let closed = false;
      const closing = history.close(100).then(() => (closed = true));
      await vi.advanceTimersByTimeAsync(99);
      expect(closed).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await closing;
      expect(closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
