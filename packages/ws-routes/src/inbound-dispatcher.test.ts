import { describe, expect, it } from 'vitest';
import { signToken, TestClient, useTestServer } from '../test/harness.js';

const start = useTestServer();

describe('inbound: refused frames keep the connection open', () => {
  it('answers bad JSON, unknown types, invalid fields and binary frames with error frames', async () => {
    const s = await start();
    const client = await TestClient.as(s, 'alice');
    client.send('{not json');
    expect(await client.next('error')).toMatchObject({ code: 'invalid_json' });
    client.send({ type: 'dance', id: 'd1' });
    expect(await client.next('error')).toMatchObject({ code: 'unknown_type', ref: 'd1' });
    client.send({ type: 'chat', id: 'c1', text: '' });
    expect(await client.next('error')).toMatchObject({ code: 'invalid_message', ref: 'c1' });
    client.send({ type: 'cancel', id: 7 });
    expect(await client.next('error')).toMatchObject({ code: 'invalid_message', ref: 7 });
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next('error')).toMatchObject({ code: 'invalid_message' });
    client.send({ type: 'ping', id: 'still-open' });
    expect(await client.next('pong')).toEqual({ type: 'pong', ref: 'still-open' });
  });

  it('closes with 1008 after repeated invalid frames', async () => {
    const s = await start({ invalidFramesBeforeClose: 3 });
    const client = await TestClient.as(s, 'alice');
    for (let i = 0; i < 3; i += 1) client.send('nope');
    expect((await client.closed).code).toBe(1008);
    expect(client.frames.filter((f) => f.type === 'error')).toHaveLength(3);
  });

  it('closes an oversized frame with 1009 and invalid UTF-8 with 1007', async () => {
    const s = await start({ maxPayloadBytes: 1024 });
    const big = await TestClient.as(s, 'alice');
    big.send({ type: 'chat', text: 'x'.repeat(2000) });
    expect((await big.closed).code).toBe(1009);
    const garbled = await TestClient.as(s, 'alice');
    garbled.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await garbled.closed).code).toBe(1007);
  });
});

describe('inbound: chat, cancel, resume', () => {
  it('acks a chat with ref, runId and threadId, then streams the run', async () => {
    const s = await start();
    const client = await TestClient.as(s, 'alice');
    client.send({ type: 'chat', id: 'm1', text: 'hello' });
    const ack = await client.next('ack');
    expect(ack).toEqual({
      type: 'ack',
      ref: 'm1',
      runId: expect.any(String),
      threadId: expect.any(String),
    });
    const events = await client.run(ack.runId as string);
    expect(events.map((e) => e.type)).toEqual([
      'user_message',
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_response_delta',
      'agent_completed',
    ]);
    expect(events.at(-1)).toMatchObject({
      payload: { status: 'success', response: 'echo: hello' },
    });
  });

  it('maps core errors to wire codes', async () => {
    const s = await start();
    const client = await TestClient.as(s, 'alice');
    client.send({ type: 'chat', id: 'x', text: 'hi', agent: 'nobody' });
    expect(await client.next('error')).toMatchObject({ code: 'unknown_agent', ref: 'x' });
  });

  it('delivers a run to both tabs of its user and to no other user', async () => {
    const s = await start();
    const tab1 = await TestClient.as(s, 'alice');
    const tab2 = await TestClient.as(s, 'alice');
    const bob = await TestClient.as(s, 'bob');
    tab1.send({ type: 'chat', id: 1, text: 'for both tabs' });
    const { runId } = await tab1.next('ack');
    const seen1 = await tab1.run(runId as string);
    const seen2 = await tab2.run(runId as string);
    expect(seen2.map((e) => e.seq)).toEqual(seen1.map((e) => e.seq));
    bob.send({ type: 'ping', id: 'sync' });
    await bob.next('pong');
    expect(bob.frames.filter((f) => f.runId === runId)).toEqual([]);
    expect(bob.frames.map((f) => f.type)).toEqual(['welcome', 'pong']);
  });

  it('cancels an own run; another user’s run id is not_found', async () => {
    const s = await start();
    const alice = await TestClient.as(s, 'alice');
    const mallory = await TestClient.as(s, 'mallory');
    alice.send({ type: 'chat', id: 'w', text: 'wait for cancel' });
    const { runId } = await alice.next('ack');
    await alice.next('agent_thinking');
    mallory.send({ type: 'cancel', id: 'steal', runId });
    expect(await mallory.next('error')).toMatchObject({ code: 'not_found', ref: 'steal' });
    alice.send({ type: 'cancel', id: 'stop', runId });
    expect(await alice.next('ack')).toEqual({ type: 'ack', ref: 'stop' });
    expect(await alice.next('agent_completed')).toMatchObject({
      runId,
      payload: { status: 'cancelled' },
    });
    alice.send({ type: 'cancel', id: 'again', runId });
    expect(await alice.next('error')).toMatchObject({ code: 'not_found', ref: 'again' });
  });

  it('replays on a resume message, then sends resumed', async () => {
    const s = await start();
    const client = await TestClient.as(s, 'alice');
    const { epoch } = client.frames[0]!;
    client.send({ type: 'chat', id: 1, text: 'one' });
    const { runId } = await client.next('ack');
    const live = await client.run(runId as string);
    client.send({ type: 'resume', id: 'r', lastSeq: 2, epoch });
    const replayed = [];
    for (let i = 3; i <= live.length; i += 1)
      replayed.push(await client.next(undefined, (f) => f.seq === i));
    expect(replayed.map((e) => e.type)).toEqual(live.slice(2).map((e) => e.type));
    expect(await client.next('resumed')).toEqual({
      type: 'resumed',
      complete: true,
      fromSeq: 3,
      toSeq: live.length,
      replayed: live.length - 2,
      oldestSeq: 1,
      latestSeq: live.length,
    });
  });

  it('resumes at connect time from ?lastSeq&epoch', async () => {
    const s = await start();
    const first = await TestClient.as(s, 'alice');
    const { epoch } = first.frames[0]!;
    first.send({ type: 'chat', id: 1, text: 'one' });
    const { runId } = await first.next('ack');
    const live = await first.run(runId as string);
    const again = await TestClient.open(s.url(`/ws?lastSeq=1&epoch=${String(epoch)}`), {
      headers: { authorization: `Bearer ${await signToken('alice')}` },
    });
    await again.next('welcome');
    const resumed = await again.next('resumed');
    expect(resumed).toMatchObject({ complete: true, fromSeq: 2, toSeq: live.length });
    expect(
      again.frames.filter((f) => typeof f.seq === 'number' && f.type !== 'welcome'),
    ).toHaveLength(live.length - 1);
  });
});

describe('inbound: auth refresh', () => {
  it('acks a token of the same user', async () => {
    const s = await start();
    const client = await TestClient.as(s, 'alice');
    client.send({ type: 'auth', id: 'a1', token: await signToken('alice') });
    expect(await client.next('ack')).toEqual({ type: 'ack', ref: 'a1' });
  });

  it('refuses a token of another user with token_expired, then closes 4401', async () => {
    const s = await start();
    const client = await TestClient.as(s, 'alice');
    client.send({ type: 'auth', id: 'a2', token: await signToken('bob') });
    expect(await client.next('error')).toMatchObject({ code: 'token_expired', ref: 'a2' });
    expect((await client.closed).code).toBe(4401);
  });

  it('refuses an invalid token the same way', async () => {
    const s = await start();
    const client = await TestClient.as(s, 'alice');
    client.send({ type: 'auth', token: 'not-a-jwt' });
    expect(await client.next('error')).toMatchObject({ code: 'token_expired' });
    expect((await client.closed).code).toBe(4401);
  });
});
