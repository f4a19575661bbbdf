import { setTimeout as sleep } from 'node:timers/promises';
import { captureLogs, createLogger, type LogCapture } from '@app/logging-ssot';
import type { RunCompletionInfo, UserMessageInfo } from '@app/ws-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HistoryWrite, RunResultRecord, UserMessageRecord } from './history-store.js';
import { HistoryWriter, type HistoryWriterOptions } from './history-writer.js';

/** A store whose batches fail while `failures` is above zero (each attempt uses one). */
class FlakyStore {
  failures = 0;
  hang = false;
  attempts = 0;
  /** The size of each batch attempted, in order. */
  readonly batches: number[] = [];
  /** A batch holding a write of this run is refused, as PostgreSQL refuses a bad row. */
  refuseRunId: string | undefined;
  readonly users: UserMessageRecord[] = [];
  readonly runs: RunResultRecord[] = [];

  async recordBatch(writes: readonly HistoryWrite[]): Promise<void> {
    this.attempts += 1;
    this.batches.push(writes.length);
    if (this.hang) return new Promise(() => undefined);
    await sleep(1);
    if (writes.some((write) => write.record.runId === this.refuseRunId)) {
      throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
        code: '22021',
        severity: 'ERROR',
      });
    }
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    }
    for (const write of writes) {
      if (write.kind === 'user_message') this.users.push(write.record);
      else this.runs.push(write.record);
    }
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
      result: 84,
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
        tools: [
          {
            name: 'calculator',
            args: { expression: '12*(3+4)' },
            ok: true,
            durationMs: 2,
            toolCallId: 'c_1',
            result: 84,
          },
        ],
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

/** The hooks of `count` runs of distinct users, called in one turn; resolves when all are. */
function oneTurn(history: HistoryWriter, count: number, prefix = 'r'): Promise<unknown> {
  const calls: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const ids = { userId: `u_${i}`, threadId: `t_${i}`, runId: `${prefix}_${i}` };
    calls.push(history.hooks.onUserMessage!({ ...message, ...ids, messageId: `m_${i}` }));
    calls.push(history.hooks.beforeRunCompleted!({ ...completion, ...ids }));
  }
  return Promise.all(calls);
}

describe('HistoryWriter group commit', () => {
  it('writes the writes of one event-loop turn as one batch', async () => {
    const history = writer();
    await oneTurn(history, 50);
    expect(store.batches).toEqual([100]);
    expect(store.users).toHaveLength(50);
    expect(store.runs).toHaveLength(50);
  });

  it('gathers the writes that arrive while a batch is written into the next one', async () => {
    const history = writer();
    const first = oneTurn(history, 1, 'a');
    await new Promise((resolve) => setImmediate(resolve)); // the first batch has started
    const second = Promise.all([oneTurn(history, 3, 'b'), oneTurn(history, 4, 'c')]);
    await Promise.all([first, second]);
    expect(store.batches).toEqual([2, 14]);
  });

  it('bounds a batch by writes and by characters', async () => {
    const history = writer({ maxBatchWrites: 3 });
    await oneTurn(history, 4); // 8 writes
    expect(store.batches).toEqual([3, 3, 2]);

    store.batches.length = 0;
    const long = writer({ maxBatchChars: 100 });
    const calls = [
      long.hooks.onUserMessage!({ ...message, runId: 'short_1', text: 'x'.repeat(40) }),
      long.hooks.onUserMessage!({ ...message, runId: 'short_2', text: 'x'.repeat(40) }),
      long.hooks.onUserMessage!({ ...message, runId: 'long', text: 'x'.repeat(500) }),
      long.hooks.onUserMessage!({ ...message, runId: 'short_3', text: 'x'.repeat(40) }),
    ];
    await Promise.all(calls);
    // 40 + 40 fit, the 500 goes alone (a write larger than the bound is never refused).
    expect(store.batches).toEqual([2, 1, 1]);
    expect(store.users.map((user) => user.runId).slice(-4)).toEqual([
      'short_1',
      'short_2',
      'long',
      'short_3',
    ]);
  });

  it('writes a refused batch one by one: the others land once, the bad one is retried alone', async () => {
    store.refuseRunId = 'r_2';
    const history = writer({ maxRetries: 2 });
    await oneTurn(history, 5);
    // The batch, then each of its 10 writes alone: 8 landed, r_2's two refused.
    expect(store.batches.slice(0, 11)).toEqual([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(store.users.map((user) => user.runId).sort()).toEqual(['r_0', 'r_1', 'r_3', 'r_4']);
    expect(store.runs.map((run) => run.runId).sort()).toEqual(['r_0', 'r_1', 'r_3', 'r_4']);
    await until(
      () => historyLines().filter((line) => line.severity === 'ERROR').length === 2,
      'giving up on r_2',
    );
    await sleep(50);
    // Nothing landed twice; r_2's writes were attempted 1 + 2 times each, never again batched.
    expect(store.users).toHaveLength(4);
    expect(store.runs).toHaveLength(4);
    expect(store.batches.slice(11)).toEqual([1, 1, 1, 1]);
    const lines = historyLines();
    expect(lines[0]).toMatchObject({
      severity: 'WARNING',
      message: 'History batch refused by the database; writing its writes one by one',
      writes: 10,
    });
    const perWrite = lines.slice(1);
    expect(perWrite.every((line) => line.runId === 'r_2')).toBe(true);
    for (const write of ['user_message', 'run_result']) {
      expect(
        perWrite.filter((line) => line.write === write).map((l) => [l.severity, l.attempts]),
      ).toEqual([
        ['WARNING', 1],
        ['WARNING', 2],
        ['ERROR', 3],
      ]);
    }
  });

  it('a batch the database did not answer fails as a whole: each write retried alone, landing once', async () => {
    store.failures = 1;
    const history = writer();
    await oneTurn(history, 3);
    expect(store.batches).toEqual([6]);
    expect(store.users).toHaveLength(0);
    await until(() => store.users.length + store.runs.length === 6, 'the retries');
    await sleep(50);
    expect(store.batches).toEqual([6, 1, 1, 1, 1, 1, 1]);
    expect(store.users.map((user) => user.runId).sort()).toEqual(['r_0', 'r_1', 'r_2']);
    expect(store.runs.map((run) => run.runId).sort()).toEqual(['r_0', 'r_1', 'r_2']);
    const lines = historyLines();
    expect(lines).toHaveLength(6);
    expect(new Set(lines.map((line) => JSON.stringify([line.runId, line.write]))).size).toBe(6);
    expect(lines.every((line) => line.attempts === 1)).toBe(true);
  });

  it('bounds the writes waiting for a batch; one more fails at once, to its retries', async () => {
    store.hang = true;
    const history = writer({ maxQueuedWrites: 2, retryDelayMs: 10_000 });
    void history.hooks.onUserMessage!({ ...message, runId: 'r_1' }); // the hung batch
    await new Promise((resolve) => setImmediate(resolve));
    void history.hooks.onUserMessage!({ ...message, runId: 'r_2' });
    void history.hooks.onUserMessage!({ ...message, runId: 'r_3' });
    await expect(
      history.hooks.onUserMessage!({ ...message, runId: 'r_4' }),
    ).resolves.toBeUndefined();
    expect(history.pendingRetries).toBe(1);
    expect(historyLines()).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        runId: 'r_4',
        attempts: 1,
        error: '2 history writes already wait for the database',
      }),
    ]);
    expect(store.batches).toEqual([1]);
  });

  it('on close writes what waits for a batch', async () => {
    const history = writer();
    const calls = oneTurn(history, 2);
    await history.close();
    await calls;
    expect(store.batches).toEqual([4]);
    expect(store.users).toHaveLength(2);
  });
});
