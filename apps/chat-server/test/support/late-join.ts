/**
 * Joining mid-run over raw frames (docs/protocol.md#8-joining-mid-run): a view without a stored
 * position reads `welcome.activeRuns`, then connects again with `?lastSeq=firstSeq−1&epoch=…`
 * (the exact, connect-time form of the catch-up).
 */
import { expect } from 'vitest';
import type { ChatClient, Frame } from './chat-client.js';
import { expectContiguous } from './node-clients.js';

/** What a welcome lists for one run in flight. */
export interface ActiveRunFrame {
  runId: string;
  threadId: string;
  agentName: string;
  firstSeq: number;
  startedAt: string;
}

/**
 * Opens a view without a position to read `welcome.activeRuns`, then the catching-up connection
 * from the oldest run's `firstSeq`. Returns that connection, its `resumed` and the run listed.
 */
export async function joinMidRun(
  connect: (query?: Record<string, string>) => Promise<ChatClient>,
  runId: string,
): Promise<{ client: ChatClient; resumed: Frame; listed: ActiveRunFrame }> {
  const probe = await connect();
  const welcome = await probe.waitForType('welcome');
  await probe.close();
  const activeRuns = welcome.activeRuns as ActiveRunFrame[];
  const listed = activeRuns.find((run) => run.runId === runId);
  if (listed === undefined) throw new Error(`run ${runId} not in ${JSON.stringify(activeRuns)}`);
  const oldest = Math.min(...activeRuns.map((run) => run.firstSeq));
  const client = await connect({ lastSeq: String(oldest - 1), epoch: String(welcome.epoch) });
  const resumed = await client.waitForType('resumed');
  return { client, resumed, listed };
}

/** The late view holds exactly the starting view's events of the run: same text, same order, once. */
export function expectSameRun(starting: ChatClient, late: ChatClient, runId: string): void {
  const original = starting.runEvents(runId);
  const joined = late.runEvents(runId);
  expect(joined.length).toBe(original.length);
  expect(joined).toEqual(original);
  expectContiguous(joined, Number(joined[0]?.seq));
  expect(joined[0]?.type).toBe('user_message');
  expect(joined.at(-1)?.type).toBe('agent_completed');
}
