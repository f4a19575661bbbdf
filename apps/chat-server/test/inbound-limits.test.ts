/**
 * Inbound frames at the server's default limits, end to end: the 64 KiB frame limit (a larger
 * frame closes with 1009), and hostile JSON that fits in it — nesting tens of thousands deep,
 * thousands of keys — which gets an error frame (or, in fields the protocol ignores, nothing)
 * while the connection, and the server, go on answering.
 */
import { LIMITS } from '@app/ws-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, type Frame } from './support/chat-client.js';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

let test: TestServer;

beforeAll(async () => {
  test = await startTestServer();
});

afterAll(async () => {
  await test?.server.close();
});

/** A JSON object text of exactly `bytes` bytes: `fields` plus a padding field. */
function frameOfSize(bytes: number, fields: Record<string, unknown>): string {
  const head = JSON.stringify({ ...fields, pad: '' });
  return `${head.slice(0, -2)}${'x'.repeat(bytes - Buffer.byteLength(head))}"}`;
}

/** `{…fields, "k0":0, "k1":0, …}` with as many keys as fit in `bytes`; and their count. */
function manyKeys(bytes: number, fields: Record<string, unknown>): { text: string; keys: number } {
  let text = JSON.stringify(fields).slice(0, -1);
  let keys = 0;
  for (;;) {
    const next = `,"k${keys}":0`;
    if (Buffer.byteLength(text) + next.length + 1 > bytes) break;
    text += next;
    keys += 1;
  }
  return { text: `${text}}`, keys };
}

/** Nested arrays `[[[…]]]`, `depth` deep. */
const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** Nested objects `{"a":{"a":…1…}}`, `depth` deep. */
const nestedObjects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

async function connect(userId: string, path?: string): Promise<ChatClient> {
  const client = await ChatClient.connect(
    test.wsUrl,
    await devLogin(test.url, userId),
    {},
    path === undefined ? {} : { path },
  );
  await client.waitFor(
    (frame) => frame.type === 'welcome' || frame.type === 'deprecation_notice',
    'the first frame',
  );
  return client;
}

/** Sends `text` as a text frame and resolves with the next frame answering `ref`. */
function answerTo(client: ChatClient, text: string, ref: string): Promise<Frame> {
  client.socket.send(text);
  return client.waitFor((frame) => frame.ref === ref, `the answer to ${ref}`);
}

/** A ping round trip and a whole run: the connection and its server still work. */
async function expectServing(client: ChatClient, id: string): Promise<void> {
  client.send({ type: 'ping', id: `${id}-ping` });
  await client.waitFor((frame) => frame.type === 'pong' && frame.ref === `${id}-ping`, 'pong');
  client.send({ type: 'chat', id, text: 'what is 2+3?' });
  const ack = await client.waitFor((frame) => frame.type === 'ack' && frame.ref === id, 'ack');
  const done = await client.waitForType('agent_completed', String(ack.runId));
  expect(done.payload).toMatchObject({ status: 'success' });
}

async function closesWithCode(code: string): Promise<number> {
  const text = await (await fetch(`${test.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`chat_ws_closes_total{code="${code}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('the default inbound frame limit', () => {
  it('is 64 KiB: a frame of exactly 65536 bytes is read, one byte more closes with 1009', async () => {
    expect(LIMITS.maxInboundBytes).toBe(65_536);
    const client = await connect('ursula');
    const full = frameOfSize(65_536, { type: 'ping', id: 'full' });
    expect(Buffer.byteLength(full)).toBe(65_536);
    expect(await answerTo(client, full, 'full')).toEqual({ type: 'pong', ref: 'full' });

    const closesBefore = await closesWithCode('1009');
    client.socket.send(frameOfSize(65_537, { type: 'ping', id: 'over' }));
    expect((await client.closed).code).toBe(1009);
    expect(client.frames.some((frame) => frame.ref === 'over')).toBe(false);
    expect(await closesWithCode('1009')).toBe(closesBefore + 1);

    // The user connects again at once and is served.
    const again = await connect('ursula');
    await expectServing(again, 'after-1009');
    await again.close();
  });
});

describe('hostile JSON within the limit', () => {
  it('answers nesting tens of thousands deep with error frames and keeps serving', async () => {
    const client = await connect('victor');
    const bystander = await connect('wendy');

    const topLevel = nestedArrays(32_000);
    expect(Buffer.byteLength(topLevel)).toBeLessThanOrEqual(65_536);
    client.socket.send(topLevel);
    expect(
      await client.waitFor((frame) => frame.type === 'error', 'the invalid_json error'),
    ).toMatchObject({ code: 'invalid_json', message: 'frame must be a JSON object' });

    const deepText = `{"type":"chat","id":"deep-text","text":${nestedArrays(32_000)}}`;
    expect(Buffer.byteLength(deepText)).toBeLessThanOrEqual(65_536);
    expect(await answerTo(client, deepText, 'deep-text')).toMatchObject({
      type: 'error',
      code: 'invalid_message',
      message: expect.stringMatching(/^chat\.text /),
    });

    // Unknown fields are ignored (protocol): a deep one is no error, and is dropped unread.
    const deepExtra = `{"type":"ping","id":"deep-extra","x":${nestedObjects(10_000)}}`;
    expect(Buffer.byteLength(deepExtra)).toBeLessThanOrEqual(65_536);
    expect(await answerTo(client, deepExtra, 'deep-extra')).toEqual({
      type: 'pong',
      ref: 'deep-extra',
    });

    await expectServing(client, 'after-deep');
    await expectServing(bystander, 'bystander-deep');
    await Promise.all([client.close(), bystander.close()]);
  });

  it('answers frames of thousands of keys with error frames and keeps serving', async () => {
    const client = await connect('xavier');
    const bystander = await connect('yara');

    const noText = manyKeys(65_536, { type: 'chat', id: 'keys-chat' });
    expect(noText.keys).toBeGreaterThan(6000);
    expect(await answerTo(client, noText.text, 'keys-chat')).toMatchObject({
      type: 'error',
      code: 'invalid_message',
      message: expect.stringMatching(/^chat\.text /),
    });
    const unknown = manyKeys(65_536, { type: 'dance', id: 'keys-dance' });
    const refusal = await answerTo(client, unknown.text, 'keys-dance');
    expect(refusal).toMatchObject({ type: 'error', code: 'unknown_type' });
    // A clear, short message: it names the type, not the keys.
    expect(String(refusal.message).length).toBeLessThan(200);

    const ping = manyKeys(65_536, { type: 'ping', id: 'keys-ping' });
    expect(await answerTo(client, ping.text, 'keys-ping')).toEqual({
      type: 'pong',
      ref: 'keys-ping',
    });

    await expectServing(client, 'after-keys');
    await expectServing(bystander, 'bystander-keys');
    await Promise.all([client.close(), bystander.close()]);
  });

  it('does the same on a legacy-mode connection', async () => {
    const client = await connect('zoe', '/websocket');
    expect(client.frames[0]?.type).toBe('deprecation_notice');

    client.socket.send(nestedArrays(32_000));
    expect(
      await client.waitFor((frame) => frame.type === 'error', 'the invalid_json error'),
    ).toMatchObject({ code: 'invalid_json' });
    const keys = manyKeys(65_536, { type: 'dance', id: 'legacy-keys' });
    expect(await answerTo(client, keys.text, 'legacy-keys')).toMatchObject({
      type: 'error',
      code: 'unknown_type',
    });
    client.send({ type: 'ping', id: 'legacy-ping' });
    expect(await client.waitFor((frame) => frame.type === 'pong', 'the legacy pong')).toMatchObject(
      { type: 'pong' },
    );
    await client.close();
  });
});
