/**
 * Hostile JSON within a raised frame limit (`maxPayloadBytes` 4 MiB): 100 000 keys, nesting
 * 100 000 deep. Each gets the error frame its fields call for (or, when the extra keys are
 * fields the protocol ignores, its normal answer), and the connection and the endpoint go on
 * serving. The default 64 KiB limit is tested end to end in apps/chat-server.
 */
import { describe, expect, it } from 'vitest';
import { TestClient, type TestServer, useTestServer } from '../test/harness.js';

const start = useTestServer();

const KEYS = 100_000;

/** `{…fields, "k0":0, …, "k99999":0}` */
function withKeys(fields: Record<string, unknown>, count = KEYS): string {
  const keys = Array.from({ length: count }, (_value, index) => `"k${index}":0`).join(',');
  return `${JSON.stringify(fields).slice(0, -1)},${keys}}`;
}

/** Sends a raw text frame and resolves with the frame that answers `ref`. */
function answerTo(client: TestClient, text: string, ref: string): Promise<Record<string, unknown>> {
  client.ws.send(text);
  return client.next(undefined, (frame) => frame.ref === ref, 30_000);
}

async function expectServing(s: TestServer, client: TestClient, id: string): Promise<void> {
  client.send({ type: 'chat', id, text: 'still there?' });
  const { runId } = await client.next('ack', (frame) => frame.ref === id);
  const events = await client.run(runId as string);
  expect(events.at(-1)).toMatchObject({ payload: { status: 'success' } });
  expect(s.routes.connectionCount).toBeGreaterThan(0);
}

describe('hostile JSON within a raised frame limit', () => {
  it('answers frames of 100 000 keys by their known fields alone', async () => {
    const s = await start({ maxPayloadBytes: 4 * 1024 * 1024 });
    const client = await TestClient.as(s, 'alice');
    const bystander = await TestClient.as(s, 'bob');

    const unknown = withKeys({ type: 'dance', id: 'u' });
    expect(Buffer.byteLength(unknown)).toBeGreaterThan(1024 * 1024);
    const refusal = await answerTo(client, unknown, 'u');
    expect(refusal).toMatchObject({ type: 'error', code: 'unknown_type', ref: 'u' });
    // One short sentence naming the type; none of the keys echoed back.
    expect(String(refusal.message)).toMatch(/^unknown message type "dance"/);
    expect(String(refusal.message).length).toBeLessThan(200);

    expect(await answerTo(client, withKeys({ type: 'chat', id: 'c' }), 'c')).toMatchObject({
      type: 'error',
      code: 'invalid_message',
      message: expect.stringMatching(/^chat\.text /),
    });
    expect(await answerTo(client, withKeys({ type: 'ping', id: 'p' }), 'p')).toEqual({
      type: 'pong',
      ref: 'p',
    });
    // A valid chat whose extra keys are dropped: the run sees only its text.
    const ack = await answerTo(client, withKeys({ type: 'chat', id: 'ok', text: 'hi' }), 'ok');
    expect(ack).toMatchObject({ type: 'ack', runId: expect.any(String) });
    const run = await client.run(ack.runId as string);
    expect(run.at(-1)).toMatchObject({ payload: { status: 'success', response: 'echo: hi' } });
    expect(JSON.stringify(run[0])).not.toContain('k99999');

    await expectServing(s, client, 'after');
    await expectServing(s, bystander, 'bystander');
  });

  it('answers nesting 100 000 deep with an error frame', async () => {
    const s = await start({ maxPayloadBytes: 4 * 1024 * 1024 });
    const client = await TestClient.as(s, 'alice');
    const depth = 100_000;
    client.ws.send('['.repeat(depth) + ']'.repeat(depth));
    expect(await client.next('error', undefined, 30_000)).toMatchObject({ code: 'invalid_json' });
    const nested = `{"type":"chat","id":"n","text":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    expect(await answerTo(client, nested, 'n')).toMatchObject({
      type: 'error',
      code: 'invalid_message',
    });
    await expectServing(s, client, 'after');
  });
});
