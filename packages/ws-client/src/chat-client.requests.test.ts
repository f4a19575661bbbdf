import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startClient, tick } from '../test/client-harness.js';
import { ChatClientError } from './errors.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function openClient(overrides: Parameters<typeof startClient>[0] = {}) {
  const harness = startClient(overrides);
  await tick();
  harness.fake.last().welcome();
  return harness;
}

describe('chat()', () => {
  it('sends chat with a generated id and resolves with runId and threadId from the matching ack', async () => {
    const { client, fake } = await openClient();
    const result = client.chat('hello', { threadId: 't_9', agent: 'calculator' });
    const [sent] = fake.last().sentOfType('chat');
    expect(sent).toEqual({
      type: 'chat',
      id: expect.stringMatching(/^m_/),
      text: 'hello',
      threadId: 't_9',
      agent: 'calculator',
    });
    fake.last().receive({ type: 'ack', ref: 'someone-else', runId: 'r_x', threadId: 't_x' });
    fake.last().receive({ type: 'ack', ref: sent!.id, runId: 'r_1', threadId: 't_9' });
    await expect(result).resolves.toEqual({ runId: 'r_1', threadId: 't_9' });
  });

  it('uses the given id and omits absent optional fields', async () => {
    const { client, fake } = await openClient();
    void client.chat('hi', { id: 42 });
    expect(fake.last().sentOfType('chat')).toEqual([{ type: 'chat', id: 42, text: 'hi' }]);
  });

  it('rejects with a ChatClientError carrying the wire code of the matching error frame', async () => {
    const { client, fake, of } = await openClient();
    const result = client.chat('hello', { agent: 'nobody' });
    const [sent] = fake.last().sentOfType('chat');
    fake
      .last()
      .receive({ type: 'error', code: 'unknown_agent', message: 'no agent nobody', ref: sent!.id });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatClientError);
    expect(error).toMatchObject({
      code: 'unknown_agent',
      message: 'no agent nobody',
      ref: sent!.id,
    });
    expect(of('error')).toEqual([]); // tied to the request: not an `error` event
  });

  it('carries retryAfterMs of a rate_limited error', async () => {
    const { client, fake } = await openClient();
    const result = client.chat('hello');
    fake.last().receive({
      type: 'error',
      code: 'rate_limited',
      message: 'slow',
      ref: fake.last().sent[0]!.id,
      retryAfterMs: 700,
    });
    await expect(result).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 700 });
  });

  it('waits for the connection when it is not open yet', async () => {
    const harness = startClient();
    const result = harness.client.chat('early');
    await tick();
    expect(harness.fake.last().sent).toEqual([]);
    harness.fake.last().welcome();
    const [sent] = harness.fake.last().sentOfType('chat');
    expect(sent).toMatchObject({ text: 'early' });
    harness.fake.last().receive({ type: 'ack', ref: sent!.id, runId: 'r', threadId: 't' });
    await expect(result).resolves.toEqual({ runId: 'r', threadId: 't' });
  });

  it('re-sends the same chat (same id) after a drop before the ack, once per connection', async () => {
    const { client, fake } = await openClient();
    const result = client.chat('hello');
    const [first] = fake.last().sentOfType('chat');
    fake.last().serverClose(1006);
    await tick(125);
    fake.last().serverClose(1006); // a failed attempt sends nothing
    await tick(250);
    fake.last().welcome();
    expect(fake.sockets.map((socket) => socket.sentOfType('chat'))).toEqual([[first], [], [first]]);
    fake.last().receive({ type: 'ack', ref: first!.id, runId: 'r_1', threadId: 't_1' });
    await expect(result).resolves.toEqual({ runId: 'r_1', threadId: 't_1' });
    fake.last().serverClose(1006);
    await tick(125);
    fake.last().welcome();
    expect(fake.last().sentOfType('chat')).toEqual([]); // settled: not sent again
  });

  it('rejects with request_timeout after requestTimeoutMs (over reconnects) and stops re-sending', async () => {
    const { client, fake } = await openClient({ requestTimeoutMs: 5000 });
    const result = client.chat('hello');
    const assertion = expect(result).rejects.toMatchObject({ code: 'request_timeout' });
    fake.last().serverClose(1006);
    await tick(4999);
    fake.last().welcome();
    expect(fake.last().sentOfType('chat')).toHaveLength(1);
    await tick(1);
    await assertion;
    fake.last().serverClose(1006);
    await tick(125);
    fake.last().welcome();
    expect(fake.last().sentOfType('chat')).toHaveLength(0);
  });

  it('honours a per-call timeoutMs', async () => {
    const { client } = await openClient();
    const result = client.chat('hello', { timeoutMs: 100 });
    const assertion = expect(result).rejects.toMatchObject({ code: 'request_timeout' });
    await tick(100);
    await assertion;
  });

  it('sends a message whose id is already pending only once, and settles both calls with its ack', async () => {
    const { client, fake } = await openClient();
    const first = client.chat('hello', { id: 'm_same' });
    const second = client.chat('hello', { id: 'm_same' });
    expect(fake.last().sentOfType('chat')).toHaveLength(1);
    fake.last().receive({ type: 'ack', ref: 'm_same', runId: 'r_1', threadId: 't_1' });
    await expect(Promise.all([first, second])).resolves.toEqual([
      { runId: 'r_1', threadId: 't_1' },
      { runId: 'r_1', threadId: 't_1' },
    ]);
  });

  it('refuses text the server would refuse without sending it', async () => {
    const { client, fake } = await openClient();
    await expect(client.chat('')).rejects.toMatchObject({ code: 'invalid_message' });
    await expect(client.chat('x'.repeat(16_385))).rejects.toMatchObject({
      code: 'invalid_message',
    });
    expect(fake.last().sent).toEqual([]);
  });

  it('rejects an ack that lacks runId with invalid_frame', async () => {
    const { client, fake } = await openClient();
    const result = client.chat('hello');
    fake.last().receive({ type: 'ack', ref: fake.last().sent[0]!.id });
    await expect(result).rejects.toMatchObject({ code: 'invalid_frame' });
  });

  it('rejects pending requests with connection_closed when the server closes for good', async () => {
    const { client, fake } = await openClient();
    const result = client.chat('hello');
    fake.last().serverClose(1008);
    await expect(result).rejects.toMatchObject({ code: 'connection_closed', closeCode: 1008 });
  });
});

describe('cancel()', () => {
  it('resolves on the matching ack', async () => {
    const { client, fake } = await openClient();
    const result = client.cancel('r_1');
    const [sent] = fake.last().sentOfType('cancel');
    expect(sent).toEqual({ type: 'cancel', id: expect.any(String), runId: 'r_1' });
    fake.last().receive({ type: 'ack', ref: sent!.id });
    await expect(result).resolves.toBeUndefined();
  });

  it('rejects with not_found', async () => {
    const { client, fake } = await openClient();
    const result = client.cancel('r_other');
    fake.last().receive({
      type: 'error',
      code: 'not_found',
      message: 'no such run',
      ref: fake.last().sent[0]!.id,
    });
    await expect(result).rejects.toMatchObject({ name: 'ChatClientError', code: 'not_found' });
  });
});

describe('error frames without a pending request', () => {
  it('are emitted as `error` events with the wire code', async () => {
    const { fake, of } = await openClient();
    fake.last().receive({ type: 'error', code: 'invalid_json', message: 'bad' });
    fake.last().receive({ type: 'error', code: 'not_found', message: 'late', ref: 'm_gone' });
    expect(of('error').map((e) => [e.code, e.ref])).toEqual([
      ['invalid_json', undefined],
      ['not_found', 'm_gone'],
    ]);
  });
});
