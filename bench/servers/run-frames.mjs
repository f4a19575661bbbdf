/**
 * Whole runs for the peers (raw ws, Socket.IO): a `chat` frame is answered with the frames the
 * chat server's demo agent sends (docs/protocol.md#5-client-messages), same types, fields and
 * sizes, so the peers are the floor of a whole run on their transport — no agent, no history,
 * no stream, no retention:
 * - `what is 12*(3+4)?` (any text but `stream …`): the nine frames of the calculator path, sent at
 *   once — `ack`, `user_message`, `agent_started`, two `agent_thinking`, `tool_executing`,
 *   `tool_completed`, one `agent_response_delta`, `agent_completed`;
 * - `stream N at R`: `ack`, `user_message`, `agent_started`, `agent_thinking`, then N one-word
 *   deltas paced at R per second on a schedule from the start (as the demo agent paces them),
 *   then `agent_completed`; `cancel {runId}` ends it with status `cancelled`.
 * Every event carries `ts` (ISO-8601, the emit time), like ours.
 */
import { peerId } from './bench-control.mjs';

const STREAM = /\bstream\s+(\d{1,6})(?:\s+at\s+(\d{1,6}))?\b/i;
const MAX_STREAM_DELTAS = 20_000;
const MAX_STREAM_RATE = 1000;

/**
 * One user's run frames. `sendEvent(object)` goes to every connection of the user, `sendReply`
 * to the connection that sent the chat.
 * @param {{seq: number}} stream the user's stream position (shared with the fan-out scenarios)
 */
export function createRunEmulator() {
  /** @type {Map<string, {stop(): void}>} runs in flight by id */
  const running = new Map();

  function event(stream, type, runId, threadId, payload) {
    stream.seq += 1;
    return { type, seq: stream.seq, runId, threadId, ts: new Date().toISOString(), payload };
  }

  function calculatorRun(stream, message, runId, threadId, sendEvent) {
    const toolCallId = peerId('tc_');
    const started = Date.now();
    sendEvent(
      event(stream, 'agent_started', runId, threadId, {
        agentName: 'assistant',
        input: message.text,
      }),
    );
    sendEvent(event(stream, 'agent_thinking', runId, threadId, { text: 'Reading your message…' }));
    sendEvent(
      event(stream, 'agent_thinking', runId, threadId, { text: 'Using the calculator tool.' }),
    );
    sendEvent(
      event(stream, 'tool_executing', runId, threadId, {
        toolCallId,
        toolName: 'calculator',
        args: { expression: '12*(3+4)' },
      }),
    );
    sendEvent(
      event(stream, 'tool_completed', runId, threadId, {
        toolCallId,
        toolName: 'calculator',
        ok: true,
        result: 84,
        durationMs: 0,
      }),
    );
    sendEvent(event(stream, 'agent_response_delta', runId, threadId, { delta: '12*(3+4) = 84.' }));
    sendEvent(
      event(stream, 'agent_completed', runId, threadId, {
        status: 'success',
        response: '12*(3+4) = 84.',
        durationMs: Date.now() - started,
      }),
    );
  }

  function streamRun(stream, message, match, runId, threadId, sendEvent) {
    const count = Math.min(Math.max(Number(match[1]), 1), MAX_STREAM_DELTAS);
    const rate =
      match[2] === undefined ? 1000 : Math.min(Math.max(Number(match[2]), 1), MAX_STREAM_RATE);
    const started = Date.now();
    const words = [];
    sendEvent(
      event(stream, 'agent_started', runId, threadId, {
        agentName: 'assistant',
        input: message.text,
      }),
    );
    sendEvent(event(stream, 'agent_thinking', runId, threadId, { text: 'Reading your message…' }));
    let i = 0;
    let timer;
    const finish = (status) => {
      clearTimeout(timer);
      running.delete(runId);
      sendEvent(
        event(stream, 'agent_completed', runId, threadId, {
          status,
          response: words.join(''),
          durationMs: Date.now() - started,
        }),
      );
    };
    const tick = () => {
      // Every delta that is due (a late timer does not push the later ones back).
      while (i < count && Date.now() >= started + (i * 1000) / rate) {
        i += 1;
        const word = `w${i} `;
        words.push(word);
        sendEvent(event(stream, 'agent_response_delta', runId, threadId, { delta: word }));
      }
      if (i >= count) return finish('success');
      timer = setTimeout(tick, Math.max(0, started + (i * 1000) / rate - Date.now()));
    };
    running.set(runId, { stop: () => finish('cancelled') });
    tick();
  }

  return {
    /**
     * Answers one client message (`chat` or `cancel`, already parsed).
     * @param {{seq: number}} stream
     * @param {object} message
     * @param {(frame: object) => void} sendEvent to every connection of the user
     * @param {(frame: object) => void} sendReply to the sender only
     */
    onMessage(stream, message, sendEvent, sendReply) {
      if (message?.type === 'cancel') {
        sendReply({ type: 'ack', ref: message.id ?? null, runId: message.runId });
        running.get(message.runId)?.stop();
        return;
      }
      if (message?.type !== 'chat' || typeof message.text !== 'string') return;
      const runId = peerId('r_');
      const threadId = typeof message.threadId === 'string' ? message.threadId : peerId('t_');
      sendReply({ type: 'ack', ref: message.id ?? null, runId, threadId });
      sendEvent(
        event(stream, 'user_message', runId, threadId, {
          messageId: peerId('m_'),
          text: message.text,
        }),
      );
      const match = STREAM.exec(message.text);
      if (match) streamRun(stream, message, match, runId, threadId, sendEvent);
      else calculatorRun(stream, message, runId, threadId, sendEvent);
    },
    /** Stops every stream in flight (at exit). */
    stopAll() {
      for (const run of [...running.values()]) run.stop();
    },
  };
}
