/** Why a tool call failed, as carried by `tool_completed.error`. */
export interface ToolFailure {
  code: string;
  message: string;
}

/** What a tool call produced: `tool_completed`'s `ok`, `result` and `error`. */
export type ToolOutcome = { ok: true; result: unknown } | { ok: false; error: ToolFailure };

/**
 * A tool an agent can call. The same definitions serve the demo agent and, through their JSON
 * Schema `parameters`, the LLM agent's function calling.
 */
export interface Tool {
  /** `tool_executing.toolName`, and the function name offered to an LLM. */
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Runs the tool. A thrown error is reported as a failed call (`tool_error`). */
  execute(args: Record<string, unknown>): ToolOutcome | Promise<ToolOutcome>;
}
