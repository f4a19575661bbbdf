import { EventType } from '@ag-ui/core';
import {
  createUserContext,
  createWebSocketHub,
  type Agent,
  type HubOptions,
  type WebSocketHub,
} from '@app/ws-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgUiEndpoint, type AgUiRefusal, type AgUiStream } from './ag-ui-endpoint';

// The endpoint over a real ws-core hub (memory engine). Over HTTP, with the real HttpAgent and
// two nodes over Redis: apps/chat-server/test/ag-ui.test.ts.

const hubs: WebSocketHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

let release: () => void = () => undefined;

/** The demo's shape: thinks, calls a tool, streams the answer; `hold` waits for release. */
const calc: Agent = {
  name: 'calc',
  description: 'calculator (test)',
  async run({ input, emitter, signal }) {
    await emitter.thinking('an expression');
    const toolCallId = await emitter.toolExecuting({
      toolName: 'calculator',
      args: { expression: '12*(3+4)' },
    });
    await emitter.toolCompleted({ toolCallId, ok: true, result: 84 });
    if (input.includes('hold')) {
      await new Promise<void>((resolve) => {
        release = resolve;
        signal.addEventListener('abort', () => resolve());
      });
    }
    await emitter.delta('12*(3+4) = ');
    await emitter.delta('84');
    return { response: '12*(3+4) = 84' };
  },
};

function hub(options: HubOptions = {}): WebSocketHub {
  const made = createWebSocketHub({ serverId: 'node-test', agents: [calc], ...options });
  hubs.push(made);
  return made;
}

const alice = createUserContext({ userId: 'alice' });
const bob = createUserContext({ userId: 'bob' });

function input(text: string, extra: Record<string, unknown> = {}) {
  return {
    threadId: 't_agui',
    runId: 'ignored id',
    messages: [{ id: 'u1', role: 'user', content: text }],
    tools: [],
    context: [],
    state: {},
    forwardedProps: {},
    ...extra,
  };
}

interface SseMessage {
  id: number;
  type: EventType;
  event: Record<string, unknown>;
}

/** Every SSE message of a body, and the keep-alive comments seen. */
async function readAll(body: ReadableStream<Uint8Array>): Promise<{
  messages: SseMessage[];
  comments: number;
}> {
  const text = await new Response(body).text();
  const messages: SseMessage[] = [];
  let comments = 0;
  for (const block of text.split('\n\n')) {
    if (block === '') continue;
    if (block.startsWith(':')) {
      comments++;
      continue;
    }
    const [idLine, dataLine, ...rest] = block.split('\n');
    expect(rest).toEqual([]);
    expect(idLine).toMatch(/^id: \d+$/);
    expect(dataLine).toMatch(/^data: \{/);
    const event = JSON.parse(dataLine!.slice(6)) as Record<string, unknown>;
    messages.push({ id: Number(idLine!.slice(4)), type: event.type as EventType, event });
  }
  return { messages, comments };
}

function stream(answer: AgUiStream | AgUiRefusal): AgUiStream {
  if (!answer.ok) throw new Error(`refused: ${answer.status} ${answer.message}`);
  return answer;
}

describe('createAgUiEndpoint', () => {
  it('starts an ordinary run and streams its AG-UI events, numbered 1..n, to the terminal one', async () => {
    const h = hub();
    const endpoint = createAgUiEndpoint({ hub: h });
    const started = stream(await endpoint.startRun(alice, input('what is 12*(3+4)?')));
    expect(started.threadId).toBe('t_agui');
    const { messages } = await readAll(started.body);
    expect(messages.map((m) => m.id)).toEqual(messages.map((_, i) => i + 1));
    expect(messages[0]?.event).toMatchObject({
      type: EventType.RUN_STARTED,
      runId: started.runId,
      threadId: 't_agui',
    });
    expect(messages.at(-1)?.type).toBe(EventType.RUN_FINISHED);
    expect(messages.find((m) => m.type === EventType.TOOL_CALL_RESULT)?.event).toMatchObject({
      content: '84',
    });
    // The run is the user's own: it is in their stream like a /ws chat.
    const read = await h.engine.readSince('alice', 0);
    expect(read.records[0]?.event).toMatchObject({
      type: 'user_message',
      runId: started.runId,
      payload: { text: 'what is 12*(3+4)?' },
    });
  });

  it('uses a valid client run id that names no run of the user, and a new one otherwise', async () => {
    const h = hub();
    const endpoint = createAgUiEndpoint({ hub: h });
    const first = stream(await endpoint.startRun(alice, input('1+1', { runId: 'client-1' })));
    expect(first.runId).toBe('client-1');
    await readAll(first.body);
    // Ended, still retained: a second run may not take the id.
    const again = stream(await endpoint.startRun(alice, input('1+1', { runId: 'client-1' })));
    expect(again.runId).toMatch(/^r_/);
    const { messages } = await readAll(again.body);
    expect(messages[0]?.event).toMatchObject({ runId: again.runId });
    // History knows it (its events left retention long ago): a new id too.
    const remembered = createAgUiEndpoint({
      hub: h,
      hasRun: (_u, id) => Promise.resolve(id === 'old'),
    });
    const third = stream(await remembered.startRun(alice, input('1+1', { runId: 'old' })));
    expect(third.runId).toMatch(/^r_/);
    await readAll(third.body);
  });

  it('resumes after a position: joined to the cut, exactly the events of the whole run', async () => {
    const h = hub();
    const endpoint = createAgUiEndpoint({ hub: h });
    const started = stream(await endpoint.startRun(alice, input('hold 12*(3+4)')));
    // Read three events, then drop the response (the client went away mid-run).
    const reader = started.body.getReader();
    let head = '';
    while ((head.match(/\n\n/g) ?? []).length < 4) {
      const { value } = await reader.read();
      head += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const cut = head
      .split('\n\n')
      .filter((b) => b.startsWith('id: '))
      .slice(0, 3);
    expect(cut.map((b) => b.split('\n')[0])).toEqual(['id: 1', 'id: 2', 'id: 3']);
    // The run goes on without its reader.
    release();
    const resumed = stream(await endpoint.resumeRun(alice, started.runId, '3'));
    const rest = await readAll(resumed.body);
    const whole = await readAll(
      stream(await endpoint.resumeRun(alice, started.runId, undefined)).body,
    );
    expect(rest.messages[0]?.id).toBe(4);
    const joined = [
      ...cut.map((b) => JSON.parse(b.split('\n')[1]!.slice(6)) as object),
      ...rest.messages.map((m) => m.event),
    ];
    expect(joined).toEqual(whole.messages.map((m) => m.event));
    expect(whole.messages.at(-1)?.type).toBe(EventType.RUN_FINISHED);
    expect((await endpoint.resumeRun(alice, started.runId, ' 999 ')).ok).toBe(true);
  });

  it('refuses another user’s run, an unknown one (404), a gone one (410), a bad position (400)', async () => {
    const h = hub({ retention: { maxEvents: 5 } });
    const endpoint = createAgUiEndpoint({
      hub: h,
      hasRun: (u, id) => Promise.resolve(u === 'alice' && id === 'forgotten'),
    });
    const started = stream(await endpoint.startRun(alice, input('1+1')));
    await readAll(started.body);
    expect(await endpoint.resumeRun(bob, started.runId, undefined)).toMatchObject({
      ok: false,
      status: 404,
      code: 'not_found',
    });
    expect(await endpoint.resumeRun(alice, 'r_nope', undefined)).toMatchObject({ status: 404 });
    // Only the last 5 events are retained: the run's start is gone.
    expect(await endpoint.resumeRun(alice, started.runId, '2')).toMatchObject({
      status: 410,
      code: 'gone',
    });
    // Nothing of it retained, but history had it: gone, not unknown.
    expect(await endpoint.resumeRun(alice, 'forgotten', undefined)).toMatchObject({ status: 410 });
    expect(await endpoint.resumeRun(bob, 'forgotten', undefined)).toMatchObject({ status: 404 });
    for (const bad of ['-1', 'abc', '1.5', '1e3']) {
      expect(await endpoint.resumeRun(alice, started.runId, bad)).toMatchObject({
        status: 400,
        code: 'invalid_request',
      });
    }
  });

  it('refuses before any run: a bad body 400, an unknown agent 404, past the limits 429', async () => {
    const h = hub({ limits: { maxRunsPerUser: 1 }, rateLimit: { perSecond: 1, burst: 4 } });
    const endpoint = createAgUiEndpoint({ hub: h });
    expect(await endpoint.startRun(alice, { threadId: 't' })).toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
    expect(
      await endpoint.startRun(alice, input('x', { forwardedProps: { agent: 'nobody' } })),
    ).toMatchObject({ status: 404, code: 'not_found' });
    const held = stream(await endpoint.startRun(alice, input('hold')));
    expect(await endpoint.startRun(alice, input('x'))).toMatchObject({
      status: 429,
      code: 'too_many_runs',
    });
    const limited = await endpoint.startRun(alice, input('x'));
    expect(limited).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((limited as AgUiRefusal).retryAfterMs).toBeGreaterThan(0);
    expect((await h.engine.position('alice')).activeRuns).toHaveLength(1);
    release();
    await readAll(held.body);
  });

  it('cancels from the endpoint: the stream ends with RUN_FINISHED cancelled', async () => {
    const h = hub();
    const endpoint = createAgUiEndpoint({ hub: h });
    const started = stream(await endpoint.startRun(alice, input('hold')));
    expect(await endpoint.cancelRun(bob, started.runId)).toBe(false);
    expect(await endpoint.cancelRun(alice, started.runId)).toBe(true);
    const { messages } = await readAll(started.body);
    expect(messages.at(-1)?.event).toMatchObject({
      type: EventType.RUN_FINISHED,
      outcome: { type: 'cancelled' },
    });
    expect(await endpoint.cancelRun(alice, started.runId)).toBe(false);
  });

  it('sends keep-alive comments while the run is quiet', async () => {
    const h = hub();
    const endpoint = createAgUiEndpoint({ hub: h, keepAliveMs: 20 });
    const started = stream(await endpoint.startRun(alice, input('hold')));
    setTimeout(() => release(), 200);
    const { messages, comments } = await readAll(started.body);
    expect(comments).toBeGreaterThanOrEqual(2);
    expect(messages.at(-1)?.type).toBe(EventType.RUN_FINISHED);
  });
});
