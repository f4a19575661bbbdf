import { type Logger, withLogContext } from '@app/logging-ssot';
import type {
  AgentCompletedPayload,
  EventPayloads,
  EventType,
  RunStatus,
  UnsequencedEvent,
} from '@app/ws-protocol';
import type { Agent, AgentContext } from './agent';
import type { BoundedHooks } from './bounded-hook';
import { asError, RunFencedError, RunStateError, RunTooLargeError } from './errors';
import type { ChatEventMonitor } from './event-monitor';
import { envelopeBytes, sizedPayloadJson } from './event-size';
import { isoTimestamp } from './iso-timestamp';
import {
  RunEmitterImpl,
  type RunCompleteInput,
  type RunDriver,
  type ToolCompletedInput,
} from './run-emitter';
import { agentResponse, completedPayload } from './run-completion';
import { RunOrder } from './run-order';
import { RunTranscript } from './run-transcript';
import { StallWatchdog } from './stall-watchdog';
import type { AppendOptions, RunLease, StreamEngine } from './stream-engine';

/** What every run of a hub uses, shared by all of them. @internal */
export interface RunServices {
  readonly engine: StreamEngine;
  /** Told of each run's start, first event, end, stall or loss. */
  readonly monitor: Pick<
    ChatEventMonitor,
    'runStarted' | 'recordFirstEvent' | 'runEnded' | 'runAbandoned' | 'recordStall'
  >;
  readonly hooks: BoundedHooks;
  /** Largest event JSON, in bytes. */
  readonly maxEventBytes: number;
  /** Events of one run, terminal included (docs/protocol.md#8-joining-mid-run). */
  readonly maxRunEvents: number;
  /** UTF-8 bytes of one run's event JSON, its terminal event aside. */
  readonly maxRunBytes: number;
  /** Silence, in ms, before the run ends with `timeout`. */
  readonly stallTimeoutMs: number;
  /** TTL of the run's lease, renewed by the hub's lease keeper. */
  readonly leaseTtlMs: number;
}

/** What a run is made from. @internal */
export interface RunInit {
  readonly services: RunServices;
  readonly userId: string;
  readonly runId: string;
  readonly threadId: string;
  readonly agentName: string;
  readonly input: string;
  readonly lease: RunLease;
  readonly logger: Logger;
  /** Called once, after the run's terminal event was appended (or the run was lost). */
  readonly onEnded: (run: RunSupervisor) => void;
}

type Phase = 'running' | 'completing' | 'ended';

/** How far the monitor was told about the run: not yet, started, ended. */
type Counted = 'no' | 'started' | 'ended';

/** What emitter calls return on a synchronous engine: one shared settled promise. */
const RESOLVED: Promise<void> = Promise.resolve();
const NOTHING = (): void => undefined;

/** Why the run ends, when the supervisor ends it. */
type EndCause = 'agent' | 'agent_error' | 'cancel' | 'timeout' | 'shutdown' | 'too_large';

/**
 * Supervises one run and owns all of its state: enforces the order of its events, keeps its
 * transcript (tool calls, streamed response), appends the events under the run's lease,
 * guarantees exactly one terminal `agent_completed` (the agent's own, or `error` when it throws,
 * `timeout` after `stallTimeoutMs` of silence, `cancelled` on cancel or shutdown), runs the
 * persistence hook before it, aborts the agent's signal when the run is ended for it, and
 * reports its start, first event and end to the monitor.
 */
export class RunSupervisor implements RunDriver {
  readonly runId: string;
  readonly threadId: string;
  readonly userId: string;
  readonly agentName: string;
  readonly input: string;
  readonly emitter: RunEmitterImpl;
  readonly finished: Promise<AgentCompletedPayload>;
  readonly #init: RunInit;
  readonly #services: RunServices;
  readonly #controller = new AbortController();
  readonly #order = new RunOrder();
  readonly #transcript: RunTranscript;
  readonly #startedAt = Date.now();
  /** Bytes of the event JSON besides type and payload, with the widest possible seq. */
  readonly #envelopeBytes: number;
  #resolveFinished!: (payload: AgentCompletedPayload) => void;
  #phase: Phase = 'running';
  readonly #watchdog: StallWatchdog;
  #terminalAppended = false;
  #lastSeq = 0;
  /** Events appended so far (the terminal one aside), against `maxRunEvents`. */
  #runEvents = 0;
  /** UTF-8 bytes of their JSON (counted with the widest seq), against `maxRunBytes`. */
  #runBytes = 0;
  #counted: Counted = 'no';
  /** When `agent_started` was built, until the first event after it was reported. */
  #awaitingFirstSince: number | undefined;

  constructor(init: RunInit) {
    this.#init = init;
    this.#services = init.services;
    this.runId = init.runId;
    this.threadId = init.threadId;
    this.userId = init.userId;
    this.agentName = init.agentName;
    this.input = init.input;
    this.finished = new Promise((resolve) => (this.#resolveFinished = resolve));
    this.#envelopeBytes = envelopeBytes(this.runId, this.threadId);
    this.#transcript = new RunTranscript(init.services.maxEventBytes);
    this.emitter = new RunEmitterImpl(this);
    this.#watchdog = new StallWatchdog(init.services.stallTimeoutMs, this.#startedAt, () =>
      this.#stalled(),
    );
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the run still accepts events. */
  get isRunning(): boolean {
    return this.#phase === 'running';
  }

  /** The seq of this run's terminal event once appended (0 before). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  get lease(): RunLease {
    return this.#init.lease;
  }

  /** Appends `agent_started` and starts watching for stalls. */
  start(): Promise<void> {
    const appended = this.#emit('agent_started', {
      agentName: this.agentName,
      input: this.input,
    });
    this.#watchdog.start();
    return appended;
  }

  thinking(text: string): Promise<void> {
    return this.#emit('agent_thinking', { text });
  }

  startTool(toolCallId: string, toolName: string, args: Record<string, unknown>): Promise<void> {
    const appended = this.#emit('tool_executing', { toolCallId, toolName, args }, toolCallId);
    this.#transcript.toolStarted(toolCallId, toolName, args);
    return appended;
  }

  completeTool(input: ToolCompletedInput): Promise<void> {
    const { toolCallId, ok, result, error } = input;
    const open = this.#transcript.openTool(toolCallId);
    const durationMs = open === undefined ? 0 : Date.now() - open.startedAt;
    const payload: EventPayloads['tool_completed'] = {
      toolCallId,
      toolName: open?.toolName ?? '',
      ok,
      ...(result !== undefined ? { result } : {}),
      ...(error !== undefined ? { error: { code: error.code, message: error.message } } : {}),
      durationMs,
    };
    // The order check refuses an unknown toolCallId here, before any bookkeeping.
    const appended = this.#emit('tool_completed', payload, toolCallId);
    if (open !== undefined) this.#transcript.toolCompleted(toolCallId, open, payload);
    return appended;
  }

  delta(text: string): Promise<void> {
    const appended = this.#emit('agent_response_delta', { delta: text });
    this.#transcript.delta(text);
    return appended;
  }

  /** Checks order and size synchronously (throws), then appends. */
  #emit<T extends EventType>(
    type: T,
    payload: EventPayloads[T],
    toolCallId?: string,
  ): Promise<void> {
    if (this.#phase !== 'running') {
      throw new RunStateError(`Run ${this.runId} has ended; ${type} refused.`);
    }
    const problem = this.#order.problem(type, toolCallId);
    if (problem !== undefined) throw new RunStateError(`Run ${this.runId}: ${problem}.`);
    const payloadJson = this.#serialize(type, payload);
    this.#checkRunSize(type, payloadJson);
    this.#order.apply(type, toolCallId);
    const now = Date.now();
    this.#watchdog.touch(now);
    const engine = this.#services.engine;
    const event = this.#event(type, payload, now);
    if (engine.appendNow !== undefined) {
      // Hot path of a synchronous engine: no promise is made per event.
      try {
        engine.appendNow(this.userId, event, this.#options(payloadJson, false));
      } catch (error) {
        return Promise.reject(asError(error));
      }
      return RESOLVED;
    }
    return engine.append(this.userId, event, this.#options(payloadJson, false)).then(NOTHING);
  }

  /**
   * Counts the event against the run's bounds, keeping room for the terminal event; past either
   * bound ends the run with `run_too_large` and throws (nothing of this event is appended).
   * @throws RunTooLargeError
   */
  #checkRunSize(type: EventType, payloadJson: string): void {
    const { maxRunEvents, maxRunBytes } = this.#services;
    const bytes = this.#envelopeBytes + type.length + Buffer.byteLength(payloadJson);
    const bound =
      this.#runEvents + 2 > maxRunEvents
        ? 'maxRunEvents'
        : this.#runBytes + bytes > maxRunBytes
          ? 'maxRunBytes'
          : undefined;
    if (bound === undefined) {
      this.#runEvents++;
      this.#runBytes += bytes;
      return;
    }
    const limit = bound === 'maxRunEvents' ? maxRunEvents : maxRunBytes;
    this.#init.logger.warn('Run went past its bound; ending it with run_too_large', {
      bound,
      limit,
    });
    void this.#finish(
      'error',
      undefined,
      {
        code: 'run_too_large',
        message: `The run went past ${bound} (${limit}).`,
      },
      'too_large',
    );
    throw new RunTooLargeError(this.runId, bound, limit);
  }

  complete(input: RunCompleteInput): Promise<void> {
    if (this.#phase !== 'running') {
      throw new RunStateError(`Run ${this.runId} has ended; agent_completed refused.`);
    }
    return this.#finish(input.status ?? 'success', input.response, input.error, 'agent');
  }

  /** Ends the run with `cancelled`. False when it is no longer running. */
  cancel(cause: 'cancel' | 'shutdown' = 'cancel'): boolean {
    if (this.#phase !== 'running') return false;
    void this.#finish('cancelled', undefined, undefined, cause);
    return true;
  }

  /** Runs the agent in the background, ending the run however the agent behaves. */
  runAgent(agent: Agent): void {
    const ctx: AgentContext = {
      input: this.input,
      runId: this.runId,
      threadId: this.threadId,
      userId: this.userId,
      emitter: this.emitter,
      signal: this.signal,
      logger: this.#init.logger,
    };
    const fields = { userId: this.userId, runId: this.runId, threadId: this.threadId };
    void withLogContext(fields, () =>
      Promise.resolve()
        .then(() => agent.run(ctx))
        .then(
          (result) => {
            if (this.#phase === 'running') this.#completeWithResult(result);
          },
          (error: unknown) => {
            if (this.#phase !== 'running') return;
            this.#init.logger.warn('Agent failed; ending the run with error', {
              agent: this.agentName,
              error: error instanceof Error ? error.message : String(error),
            });
            void this.#finish(
              'error',
              undefined,
              { code: 'agent_error', message: 'The agent failed unexpectedly.' },
              'agent_error',
            );
          },
        ),
    );
  }

  /**
   * Keeps the lease alive; a lost lease ends the run here without a terminal event. Rejects when
   * the engine could not be asked (the hub's lease keeper logs that once per outage, not here
   * per run); resolves false when there was nothing to renew (the run has ended).
   */
  async renewLease(): Promise<boolean> {
    if (this.#phase === 'ended') return false;
    const ok = await this.#services.engine.renewRun(this.#init.lease, this.#services.leaseTtlMs);
    if (!ok && !this.#terminalAppended) this.#lost('lease not renewed');
    return true;
  }

  #completeWithResult(result: { response?: string } | void): void {
    const limit = this.#services.maxEventBytes;
    const streamed = this.#transcript.streamedResponse;
    const response = agentResponse(result, streamed, this.#envelopeBytes, limit);
    void this.#finish('success', response, undefined, 'agent');
  }

  #finish(
    status: RunStatus,
    response: string | undefined,
    error: { code: string; message: string } | undefined,
    cause: EndCause,
  ): Promise<void> {
    const payload = completedPayload(status, response, error, Date.now() - this.#startedAt);
    const payloadJson = this.#serialize('agent_completed', payload);
    this.#phase = 'completing';
    this.#order.apply('agent_completed');
    this.#watchdog.stop();
    if (cause !== 'agent') this.#controller.abort(new RunStateError(`Run ${this.runId} ${cause}`));
    const info = {
      userId: this.userId,
      threadId: this.threadId,
      runId: this.runId,
      agentName: this.agentName,
      input: this.input,
      payload,
      tools: this.#transcript.tools,
    };
    return this.#services.hooks
      .beforeRunCompleted(info, this.#init.logger)
      .then(() =>
        this.#services.engine.append(
          this.userId,
          this.#event('agent_completed', payload, Date.now()),
          this.#options(payloadJson, true),
        ),
      )
      .then(
        (record) => {
          this.#terminalAppended = true;
          this.#lastSeq = record.seq;
        },
        (appendError: unknown) => {
          if (this.#phase === 'ended') return;
          const message = appendError instanceof Error ? appendError.message : String(appendError);
          if (appendError instanceof RunFencedError) {
            this.#init.logger.warn('Run lost its lease before its terminal event', {
              status,
              error: message,
            });
          } else {
            this.#init.logger.error('The terminal event of a run could not be appended', {
              status,
              error: message,
            });
          }
          this.#reportAbandoned();
        },
      )
      .then(() => this.#end(payload));
  }

  /** Builds one accepted event and reports it to the monitor's counters. */
  #event(type: EventType, payload: unknown, now: number): UnsequencedEvent {
    this.#count(type, payload, now);
    return {
      type,
      runId: this.runId,
      threadId: this.threadId,
      ts: isoTimestamp(now),
      payload,
    } as UnsequencedEvent;
  }

  /** Tells the monitor of the run's start, its first event after it, and its end. */
  #count(type: EventType, payload: unknown, now: number): void {
    const monitor = this.#services.monitor;
    if (type === 'agent_started') {
      this.#counted = 'started';
      this.#awaitingFirstSince = now;
      monitor.runStarted();
      return;
    }
    if (this.#awaitingFirstSince !== undefined) {
      monitor.recordFirstEvent((now - this.#awaitingFirstSince) / 1000);
      this.#awaitingFirstSince = undefined;
    }
    if (type === 'agent_completed' && this.#counted === 'started') {
      this.#counted = 'ended';
      const { status, durationMs } = payload as AgentCompletedPayload;
      monitor.runEnded(status, durationMs);
    }
  }

  /** The run ended without a terminal event: the monitor counts it as no longer active. */
  #reportAbandoned(): void {
    if (this.#counted !== 'started') return;
    this.#counted = 'ended';
    this.#services.monitor.runAbandoned();
  }

  #options(payloadJson: string, terminal: boolean): AppendOptions {
    return { lease: this.#init.lease, payloadJson, terminal };
  }

  /** The payload JSON, size-checked (see `sizedPayloadJson`). @throws EventTooLargeError */
  #serialize(type: EventType, payload: unknown): string {
    return sizedPayloadJson(this.#envelopeBytes, type, payload, this.#services.maxEventBytes);
  }

  #stalled(): void {
    if (this.#phase !== 'running') return;
    const stallMs = this.#watchdog.stallMs;
    this.#services.monitor.recordStall();
    this.#init.logger.warn('Run stalled; ending it with timeout', { stallTimeoutMs: stallMs });
    void this.#finish(
      'timeout',
      undefined,
      { code: 'stall_timeout', message: `The agent sent no event for ${stallMs} ms.` },
      'timeout',
    );
  }

  /** Setup failed after the run was created: end it here, without a terminal event. */
  abandon(error: unknown): void {
    if (this.#phase === 'ended') return;
    this.#init.logger.warn('Run could not start', {
      error: error instanceof Error ? error.message : String(error),
    });
    this.#services.engine.releaseRun(this.#init.lease).catch(() => undefined);
    this.#stopWithoutTerminal({ code: 'internal', message: 'The run could not start.' });
  }

  /** Another node owns the run now (or it already ended): stop without a terminal event. */
  #lost(reason: string): void {
    if (this.#phase === 'ended') return;
    this.#init.logger.warn('Run lost its lease; stopping it here', { reason });
    this.#stopWithoutTerminal({
      code: 'node_lost',
      message: 'The run was taken over by another node.',
    });
  }

  #stopWithoutTerminal(error: { code: string; message: string }): void {
    this.#phase = 'completing';
    this.#order.apply('agent_completed');
    this.#watchdog.stop();
    this.#controller.abort(new RunStateError(`Run ${this.runId} stopped: ${error.code}`));
    this.#reportAbandoned();
    this.#end({ status: 'error', error, durationMs: Date.now() - this.#startedAt });
  }

  #end(payload: AgentCompletedPayload): void {
    if (this.#phase === 'ended') return;
    this.#phase = 'ended';
    this.#watchdog.stop();
    this.#init.logger.debug('Run ended', {
      status: payload.status,
      durationMs: payload.durationMs,
    });
    this.#resolveFinished(payload);
    this.#init.onEnded(this);
  }
}
