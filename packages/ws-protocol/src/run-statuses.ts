/** How a run ended, carried by `agent_completed.payload.status`. */
export const RUN_STATUSES = ['success', 'error', 'cancelled', 'timeout'] as const;

/** One of the {@link RUN_STATUSES}. */
export type RunStatus = (typeof RUN_STATUSES)[number];
