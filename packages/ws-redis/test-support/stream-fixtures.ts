/** Small builders and waits shared by this package's tests (and usable by chat-server's). */
import type { StreamListener, StreamRecord } from '@app/ws-core';
import type { UnsequencedEvent } from '@app/ws-protocol';

/** An `agent_thinking` event of `runId`. */
export function thinking(runId: string, text: string, threadId = 't_test'): UnsequencedEvent {
  return {
    type: 'agent_thinking',
    runId,
    threadId,
    ts: new Date().toISOString(),
    payload: { text },
  };
}

/** An `agent_started` event of `runId`. */
export function started(runId: string, threadId = 't_test'): UnsequencedEvent {
  return {
    type: 'agent_started',
    runId,
    threadId,
    ts: new Date().toISOString(),
    payload: { agentName: 'test', input: 'hello' },
  };
}

/** A listener that records what it receives. */
export function collector(): StreamListener & { records: StreamRecord[]; resets: string[] } {
  const records: StreamRecord[] = [];
  const resets: string[] = [];
  return {
    records,
    resets,
    onEvent: (record) => records.push(record),
    onReset: (epoch) => resets.push(epoch),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `condition` every 5 ms; throws (with `what`) when it stays false for `timeoutMs` — a
 * guard against a hang, wide enough for a loaded machine, not a latency bound.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}
