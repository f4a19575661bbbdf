/**
 * A run of the user's that has not ended yet, as `welcome.activeRuns` lists it
 * (docs/protocol.md#2-the-first-frame-welcome). A view that opens mid-run resumes from
 * `firstSeq - 1` to get the whole run (docs/protocol.md#8-joining-mid-run).
 */
export interface ActiveRun {
  runId: string;
  threadId: string;
  /** The agent running it (`agent_started.payload.agentName`). */
  agentName: string;
  /** The `seq` of the run's first event: its `user_message`, or `agent_started` when it has none. */
  firstSeq: number;
  /** The `ts` of that first event (ISO-8601 UTC). */
  startedAt: string;
}

/** Whether `value` has the shape of an {@link ActiveRun} (for clients checking a `welcome`). */
export function isActiveRun(value: unknown): value is ActiveRun {
  if (typeof value !== 'object' || value === null) return false;
  const run = value as Record<string, unknown>;
  return (
    typeof run.runId === 'string' &&
    typeof run.threadId === 'string' &&
    typeof run.agentName === 'string' &&
    typeof run.firstSeq === 'number' &&
    Number.isSafeInteger(run.firstSeq) &&
    run.firstSeq >= 1 &&
    typeof run.startedAt === 'string'
  );
}
