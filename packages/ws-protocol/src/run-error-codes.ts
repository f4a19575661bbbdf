/**
 * The codes the server itself writes in `agent_completed.payload.error.code` when it ends a run
 * (docs/protocol.md#run-order). Agents and tools may use codes of their own besides these.
 * - `agent_error`: the agent threw or crashed;
 * - `stall_timeout`: the agent stayed silent too long (status `timeout`);
 * - `node_lost`: the node running it was lost and another node ended it;
 * - `run_too_large`: the run went past `maxRunEvents` or `maxRunBytes` (docs/protocol.md#8-joining-mid-run).
 */
export const RUN_ERROR_CODES = [
  'agent_error',
  'stall_timeout',
  'node_lost',
  'run_too_large',
] as const;

/** One of the {@link RUN_ERROR_CODES}. */
export type RunErrorCode = (typeof RUN_ERROR_CODES)[number];
