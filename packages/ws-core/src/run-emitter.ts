import type { AgentCompletedPayload, RunStatus } from '@app/ws-protocol';
import { InvalidInputError } from './errors';
import { randomId } from './random-id';

/** Input of {@link RunEmitter.toolExecuting}. */
export interface ToolExecutingInput {
  readonly toolName: string;
  /** The tool's arguments (an object), e.g. the calculator's `{ expression }`. */
  readonly args: Record<string, unknown>;
  /** Default: `tc_` + random. Must be unique within the run. */
  readonly toolCallId?: string;
}

/** Input of {@link RunEmitter.toolCompleted}. `durationMs` is measured by the emitter. */
export interface ToolCompletedInput {
  readonly toolCallId: string;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Input of {@link RunEmitter.complete}. */
export interface RunCompleteInput {
  /** Default `success`. */
  readonly status?: RunStatus;
  readonly response?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * Emits one run's events in the order of docs/protocol.md#run-order. Every method checks the order first and
 * throws `RunStateError` synchronously, emitting nothing, when the call is illegal (after the
 * run ended — also by cancel, stall timeout or shutdown —, a `toolCompleted` without its
 * `toolExecuting`, a reused `toolCallId`). An event whose JSON would exceed `maxEventBytes`
 * throws `EventTooLargeError` synchronously and nothing is appended. The returned promises
 * resolve once the event is appended to the user's stream.
 */
export interface RunEmitter {
  readonly runId: string;
  readonly threadId: string;
  /** Aborts when the run is cancelled, stalls, loses its lease or the hub shuts down. */
  readonly signal: AbortSignal;
  /** `agent_thinking {text}`. */
  thinking(text: string): Promise<void>;
  /** `tool_executing {toolCallId, toolName, args}`; resolves with the toolCallId. */
  toolExecuting(input: ToolExecutingInput): Promise<string>;
  /** `tool_completed {toolCallId, toolName, ok, result?, error?, durationMs}`. */
  toolCompleted(input: ToolCompletedInput): Promise<void>;
  /** `agent_response_delta {delta}`. */
  delta(text: string): Promise<void>;
  /**
   * The terminal `agent_completed {status, response?, error?, durationMs}`; resolves once it is
   * appended (after the `beforeRunCompleted` hook, bounded). A second call throws RunStateError.
   */
  complete(input?: RunCompleteInput): Promise<void>;
  /** Resolves with the terminal payload, however the run ended. Never rejects. */
  readonly finished: Promise<AgentCompletedPayload>;
}

/** What the emitter needs of its run: the run keeps every piece of state. @internal */
export interface RunDriver {
  readonly runId: string;
  readonly threadId: string;
  readonly signal: AbortSignal;
  readonly finished: Promise<AgentCompletedPayload>;
  /**
   * Each checks the order and size synchronously (throws, nothing appended), then appends;
   * the promise resolves once the event is appended.
   */
  thinking(text: string): Promise<void>;
  startTool(toolCallId: string, toolName: string, args: Record<string, unknown>): Promise<void>;
  completeTool(input: ToolCompletedInput): Promise<void>;
  delta(text: string): Promise<void>;
  /** Checks synchronously (throws), then ends the run. */
  complete(input: RunCompleteInput): Promise<void>;
}

const STATUSES: ReadonlySet<string> = new Set(['success', 'error', 'cancelled', 'timeout']);

function requireString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new InvalidInputError(`${name} must be a string`);
}

function isErrorShape(value: unknown): boolean {
  return (
    value === undefined ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { code?: unknown }).code === 'string' &&
      typeof (value as { message?: unknown }).message === 'string')
  );
}

/**
 * The emitter handed to agents and to `startRun` callers: checks the caller's input and hands
 * it to the run, which holds the run's state. @internal
 */
export class RunEmitterImpl implements RunEmitter {
  readonly #run: RunDriver;

  constructor(run: RunDriver) {
    this.#run = run;
  }

  get runId(): string {
    return this.#run.runId;
  }

  get threadId(): string {
    return this.#run.threadId;
  }

  get signal(): AbortSignal {
    return this.#run.signal;
  }

  get finished(): Promise<AgentCompletedPayload> {
    return this.#run.finished;
  }

  thinking(text: string): Promise<void> {
    requireString(text, 'text');
    return this.#run.thinking(text);
  }

  toolExecuting(input: ToolExecutingInput): Promise<string> {
    const toolCallId = input.toolCallId ?? randomId('tc_');
    requireString(toolCallId, 'toolCallId');
    requireString(input.toolName, 'toolName');
    if (toolCallId.length === 0 || input.toolName.length === 0) {
      throw new InvalidInputError('toolCallId and toolName must not be empty');
    }
    const args = input.args;
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw new InvalidInputError('args must be an object');
    }
    return this.#run.startTool(toolCallId, input.toolName, args).then(() => toolCallId);
  }

  toolCompleted(input: ToolCompletedInput): Promise<void> {
    if (typeof input.ok !== 'boolean') throw new InvalidInputError('ok must be a boolean');
    if (!isErrorShape(input.error)) throw new InvalidInputError('error must be {code, message}');
    return this.#run.completeTool(input);
  }

  delta(text: string): Promise<void> {
    requireString(text, 'text');
    return this.#run.delta(text);
  }

  complete(input: RunCompleteInput = {}): Promise<void> {
    if (input.status !== undefined && !STATUSES.has(input.status)) {
      throw new InvalidInputError(`status must be one of ${[...STATUSES].join(', ')}`);
    }
    if (input.response !== undefined) requireString(input.response, 'response');
    if (!isErrorShape(input.error)) throw new InvalidInputError('error must be {code, message}');
    return this.#run.complete(input);
  }
}
