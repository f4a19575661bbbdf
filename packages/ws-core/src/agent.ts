import type { Logger } from '@app/logging-ssot';
import type { RunEmitter } from './run-emitter';

/**
 * An agent: something that answers a user's chat message by emitting run events.
 * Register agents on the hub (`HubOptions.agents` or `hub.agents.register`).
 */
export interface Agent {
  /** Unique name, used by `chat {agent}` and in `agent_started.payload.agentName`. */
  readonly name: string;
  /** One line for `GET /api/v1/agents`. */
  readonly description: string;
  /**
   * Runs once per chat message. `agent_started` is already emitted. Emit through
   * `ctx.emitter`; stop when `ctx.signal` aborts (cancel, stall timeout, shutdown).
   * Returning without `complete()` ends the run with `success` and the returned `response`
   * (or the concatenated deltas); throwing ends it with `error` (code `agent_error`).
   */
  run(ctx: AgentContext): Promise<{ response?: string } | void>;
}

/** What an agent receives for one run. */
export interface AgentContext {
  /** The user's text. */
  readonly input: string;
  readonly runId: string;
  readonly threadId: string;
  readonly userId: string;
  /** Emits this run's events in protocol order (illegal order: `RunStateError`). */
  readonly emitter: RunEmitter;
  /** Aborts on cancel, stall timeout, lost ownership and shutdown. */
  readonly signal: AbortSignal;
  /** A logger whose entries carry userId, runId and threadId. */
  readonly logger: Logger;
}

/** Name and description of a registered agent. */
export interface AgentInfo {
  readonly name: string;
  readonly description: string;
}
