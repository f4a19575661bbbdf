import type { EventType } from '@app/ws-protocol';

/**
 * The per-run order of docs/protocol.md#run-order, as a small state machine: `agent_started` first, every
 * `tool_completed` after a `tool_executing` with the same `toolCallId` (each id used once),
 * exactly one `agent_completed` and nothing after it. `user_message` is outside the order.
 * Used by the emitter to refuse illegal calls and by the monitor to verify what was appended.
 */
export class RunOrder {
  #started = false;
  #ended = false;
  /** Tool calls executing, not yet completed. */
  readonly #open = new Set<string>();
  /** Every tool call id seen in this run (ids are not reused). */
  readonly #seen = new Set<string>();

  /** Whether `agent_completed` was accepted. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Whether `agent_started` was accepted. */
  get started(): boolean {
    return this.#started;
  }

  /** Why `type` cannot come next, or undefined when it can. */
  problem(type: EventType, toolCallId?: string): string | undefined {
    if (type === 'user_message') return undefined;
    if (this.#ended) return `the run has already ended; ${type} refused`;
    if (type === 'agent_started') {
      return this.#started ? 'agent_started was already emitted' : undefined;
    }
    if (!this.#started) return `${type} before agent_started`;
    if (type === 'tool_executing') {
      if (toolCallId === undefined) return 'tool_executing needs a toolCallId';
      return this.#seen.has(toolCallId) ? `toolCallId ${toolCallId} was already used` : undefined;
    }
    if (type === 'tool_completed') {
      if (toolCallId === undefined || !this.#open.has(toolCallId)) {
        return `tool_completed for ${String(toolCallId)} without a matching tool_executing`;
      }
    }
    return undefined;
  }

  /** Records `type` (call after `problem()` returned undefined). */
  apply(type: EventType, toolCallId?: string): void {
    switch (type) {
      case 'agent_started':
        this.#started = true;
        break;
      case 'tool_executing':
        if (toolCallId !== undefined) {
          this.#seen.add(toolCallId);
          this.#open.add(toolCallId);
        }
        break;
      case 'tool_completed':
        if (toolCallId !== undefined) this.#open.delete(toolCallId);
        break;
      case 'agent_completed':
        this.#ended = true;
        break;
      default:
        break;
    }
  }
}
