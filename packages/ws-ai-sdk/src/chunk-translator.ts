import type { ChatEvent } from '@app/ws-protocol';
import type { UIMessageChunk } from 'ai';

/** A UI message chunk with its number within the run (the transport's `sequence`). */
export interface SequencedChunk {
  /** 0 for the run's first chunk, then +1 per chunk, without a gap. */
  readonly sequence: number;
  readonly chunk: UIMessageChunk;
}

/** The id of the run's one text part (ids only need to be unique within the message). */
const TEXT_ID = 'text-1';

/**
 * Turns one run's events, in order, into `ai@7` UI message chunks numbered from 0
 * (docs/interop.md#events-to-chunks). Its output depends on nothing but the events it was given,
 * so every node that translates the same run numbers the same chunks alike; a client that
 * resumes after chunk `n` gets the chunks after `n` of that one numbering.
 *
 * - `agent_started` → `start` (`messageId` = the run id), `start-step`;
 * - `agent_thinking` → `reasoning-start`, `reasoning-delta`, `reasoning-end` (a part each);
 * - `tool_executing` → `tool-input-available`; `tool_completed` → `tool-output-available`, or
 *   `tool-output-error` when it failed;
 * - `agent_response_delta` → `text-start` before the first, then `text-delta`;
 * - `agent_completed` success → `text-end` (when a text part is open), `finish-step`,
 *   `finish` — a run that succeeded with a response but streamed no delta gets its response as
 *   one text part first; cancelled → `abort`; error, timeout, node lost → `error` naming the code;
 * - `user_message` → nothing (the client sent it).
 *
 * One translator per run; feed it the run's events from its first.
 */
export class UIMessageChunkTranslator {
  #sequence = 0;
  #reasoningParts = 0;
  #textOpen = false;
  #ended = false;

  /** Whether the run's terminal event has been translated. */
  get ended(): boolean {
    return this.#ended;
  }

  /** How many chunks were made so far (the next chunk's `sequence`). */
  get count(): number {
    return this.#sequence;
  }

  /** The chunks of the run's next event (none once the run has ended). */
  push(event: ChatEvent): SequencedChunk[] {
    if (this.#ended) return [];
    return this.#chunksOf(event).map((chunk) => ({ sequence: this.#sequence++, chunk }));
  }

  #chunksOf(event: ChatEvent): UIMessageChunk[] {
    switch (event.type) {
      case 'user_message':
        return [];
      case 'agent_started':
        return [{ type: 'start', messageId: event.runId }, { type: 'start-step' }];
      case 'agent_thinking': {
        const id = `reasoning-${++this.#reasoningParts}`;
        return [
          { type: 'reasoning-start', id },
          { type: 'reasoning-delta', id, delta: event.payload.text },
          { type: 'reasoning-end', id },
        ];
      }
      case 'tool_executing': {
        const { toolCallId, toolName, args } = event.payload;
        return [{ type: 'tool-input-available', toolCallId, toolName, input: args }];
      }
      case 'tool_completed': {
        const { toolCallId, ok, result, error } = event.payload;
        return ok
          ? [{ type: 'tool-output-available', toolCallId, output: result ?? null }]
          : [{ type: 'tool-output-error', toolCallId, errorText: describeError(error, 'failed') }];
      }
      case 'agent_response_delta': {
        const delta = { type: 'text-delta', id: TEXT_ID, delta: event.payload.delta } as const;
        if (this.#textOpen) return [delta];
        this.#textOpen = true;
        return [{ type: 'text-start', id: TEXT_ID }, delta];
      }
      case 'agent_completed':
        this.#ended = true;
        return this.#terminal(event.payload);
    }
  }

  #terminal(payload: ChatEvent<'agent_completed'>['payload']): UIMessageChunk[] {
    switch (payload.status) {
      case 'success': {
        const chunks: UIMessageChunk[] = [];
        if (!this.#textOpen && payload.response !== undefined && payload.response !== '') {
          chunks.push(
            { type: 'text-start', id: TEXT_ID },
            { type: 'text-delta', id: TEXT_ID, delta: payload.response },
          );
          this.#textOpen = true;
        }
        if (this.#textOpen) chunks.push({ type: 'text-end', id: TEXT_ID });
        this.#textOpen = false;
        chunks.push({ type: 'finish-step' }, { type: 'finish' });
        return chunks;
      }
      case 'cancelled':
        return [{ type: 'abort' }];
      case 'error':
      case 'timeout':
        return [{ type: 'error', errorText: describeError(payload.error, payload.status) }];
    }
  }
}

/** `code: message`, so the client's error text names the code; the status when none is given. */
function describeError(error: { code: string; message: string } | undefined, fallback: string) {
  return error === undefined ? fallback : `${error.code}: ${error.message}`;
}

/** Every chunk of a run, numbered from 0: the translation of `events` as a whole. */
export function toUIMessageChunks(events: Iterable<ChatEvent>): SequencedChunk[] {
  const translator = new UIMessageChunkTranslator();
  const chunks: SequencedChunk[] = [];
  for (const event of events) chunks.push(...translator.push(event));
  return chunks;
}
