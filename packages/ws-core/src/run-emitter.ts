import type { AgentCompletedPayload, EventPayloads, EventType, RunStatus } from '@app/ws-protocol';
import { InvalidInputError } from './errors';
import { randomId } from './random-id';
import type { RunToolSummary } from './run-hooks';

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
 * Emits one run's events in the order of protocol §3. Every method checks the order first and
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

/** What the emitter needs of its run. @internal */
export interface RunDriver {
  readonly runId: string;
  readonly threadId: string;
  readonly signal: AbortSignal;
  readonly finished: Promise<AgentCompletedPayload>;
  /** Checks order and size synchronously (throws), then appends. */
  emit<T extends EventType>(type: T, payload: EventPayloads[T], toolCallId?: string): Promise<void>;
  /** Checks synchronously (throws), then ends the run. */
  complete(input: RunCompleteInput): Promise<void>;
}

interface OpenTool {
  readonly toolName: string;
  readonly args: Record<string, unknown>;
  readonly startedAt: number;
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

/** The emitter handed to agents and to `startRun` callers. @internal */
export class RunEmitterImpl implements RunEmitter {
  readonly #run: RunDriver;
  readonly #open = new Map<string, OpenTool>();
  readonly #tools: RunToolSummary[] = [];
  readonly #maxResponseLength: number;
  /** The deltas so far; undefined once they outgrew what one event can carry. */
  #response: string | undefined = '';

  /**
   * @param maxResponseLength Deltas are kept for the final response only up to this many
   *   UTF-16 units (maxEventBytes: more could never fit in agent_completed), so a long
   *   streaming run does not hold its whole text.
   */
  constructor(run: RunDriver, maxResponseLength: number) {
    this.#run = run;
    this.#maxResponseLength = maxResponseLength;
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

  /** Completed tool calls so far, for `beforeRunCompleted`. */
  get tools(): readonly RunToolSummary[] {
    return this.#tools;
  }

  /** The concatenated deltas (the response of an agent that returns none), if not too long. */
  get streamedResponse(): string | undefined {
    return this.#response;
  }

  thinking(text: string): Promise<void> {
    requireString(text, 'text');
    return this.#run.emit('agent_thinking', { text });
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
    const appended = this.#run.emit(
      'tool_executing',
      { toolCallId, toolName: input.toolName, args },
      toolCallId,
    );
    this.#open.set(toolCallId, { toolName: input.toolName, args, startedAt: Date.now() });
    return appended.then(() => toolCallId);
  }

  toolCompleted(input: ToolCompletedInput): Promise<void> {
    const { toolCallId, ok, result, error } = input;
    if (typeof ok !== 'boolean') throw new InvalidInputError('ok must be a boolean');
    if (!isErrorShape(error)) throw new InvalidInputError('error must be {code, message}');
    const open = this.#open.get(toolCallId);
    const durationMs = open === undefined ? 0 : Date.now() - open.startedAt;
    const payload: EventPayloads['tool_completed'] = {
      toolCallId,
      toolName: open?.toolName ?? '',
      ok,
      ...(result !== undefined ? { result } : {}),
      ...(error !== undefined ? { error: { code: error.code, message: error.message } } : {}),
      durationMs,
    };
    // The run checks the order (an unknown toolCallId throws here, before any bookkeeping).
    const appended = this.#run.emit('tool_completed', payload, toolCallId);
    if (open !== undefined) {
      this.#open.delete(toolCallId);
      this.#tools.push({ toolCallId, toolName: open.toolName, args: open.args, ok, durationMs });
    }
    return appended;
  }

  delta(text: string): Promise<void> {
    requireString(text, 'text');
    const appended = this.#run.emit('agent_response_delta', { delta: text });
    if (this.#response !== undefined) {
      const response = this.#response + text;
      this.#response = response.length > this.#maxResponseLength ? undefined : response;
    }
    return appended;
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
