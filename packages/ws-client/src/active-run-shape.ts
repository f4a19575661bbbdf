/**
 * A run in flight as `welcome.activeRuns` lists it (docs/protocol.md#2-the-first-frame-welcome).
 * To be replaced by the `ActiveRun` type of `@app/ws-protocol` once the protocol package carries it.
 */
export interface ActiveRun {
  runId: string;
  threadId: string;
  /** The agent running it. */
  agentName: string;
  /** The `seq` of the run's first event (its `user_message`, or `agent_started`). */
  firstSeq: number;
  /** The `ts` of that first event. */
  startedAt: string;
}
