/**
 * Coalesced writes on real sockets: the frames one socket is sent in one event-loop turn reach
 * the TCP socket as one write (counted on the server's own `net.Socket`), in order; the
 * outbound limit still closes a reader that stopped reading with 4000.
 */
import type { Socket } from 'node:net';
import { createUserContext } from '@app/ws-core';
import { describe, expect, it } from 'vitest';
import {
  eventually,
  metricValue,
  TestClient,
  useTestServer,
  type TestServer,
} from '../test/harness.js';
import { MAX_CORKED_BYTES } from './coalescing-socket.js';

const start = useTestServer();

/** Counts the writes handed to the server's TCP sockets (one `_write` or `_writev` each). */
function countWrites(s: TestServer): { writes: number; bytes: number } {
  const counts = { writes: 0, bytes: 0 };
  s.server.on('upgrade', (_request, socket: Socket) => {
    const write = socket._write.bind(socket);
    const writev = socket._writev?.bind(socket);
    socket._write = (chunk: Buffer, encoding, callback) => {
      counts.writes += 1;
      counts.bytes += chunk.length;
      write(chunk, encoding, callback);
    };
    if (writev !== undefined) {
      socket._writev = (chunks, callback) => {
        counts.writes += 1;
        for (const { chunk } of chunks) counts.bytes += (chunk as Buffer).length;
        writev(chunks, callback);
      };
    }
  });
  return counts;
}

/** Emits `count` deltas of a run in one turn; resolves once they are all appended. */
async function burst(
  s: TestServer,
  userId: string,
  count: number,
  text = 'word ',
): Promise<string> {
  const manager = s.hub.getManager(createUserContext({ userId }));
  const run = await manager.startRun({ agent: 'scripted', input: 'burst' });
  const appended: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) appended.push(run.delta(`${text}${i}`));
  await Promise.all(appended);
  await run.complete({ response: 'done' });
  return run.runId;
}

describe('coalesced writes', () => {
  it('a burst of one run goes out in a few writes, every frame once and in order', async () => {
    const s = await start();
    const counts = countWrites(s);
    const client = await TestClient.as(s, 'alice');
    const before = counts.writes;
    const runId = await burst(s, 'alice', 200);
    const frames = await client.run(runId);
    expect(frames.map((frame) => frame.type)).toEqual([
      'agent_started',
      ...Array.from({ length: 200 }, () => 'agent_response_delta'),
      'agent_completed',
    ]);
    const seqs = frames.map((frame) => frame.seq as number);
    expect(seqs).toEqual(seqs.map((_seq, i) => seqs[0]! + i));
    expect(frames.slice(1, -1).map((frame) => (frame.payload as { delta: string }).delta)).toEqual(
      Array.from({ length: 200 }, (_v, i) => `word ${i}`),
    );
    const writes = counts.writes - before;
    console.info(`202 frames of one run in ${writes} writes`);
    // One write per frame without coalescing; the frames of a turn share one here.
    expect(writes).toBeLessThan(20);
  });

  it('two sockets of a user each get their own coalesced writes of the same frames', async () => {
    const s = await start();
    const counts = countWrites(s);
    const first = await TestClient.as(s, 'bob');
    const second = await TestClient.as(s, 'bob');
    const before = counts.writes;
    const runId = await burst(s, 'bob', 100);
    const [a, b] = await Promise.all([first.run(runId), second.run(runId)]);
    expect(a.map((frame) => frame.seq)).toEqual(b.map((frame) => frame.seq));
    expect(a).toHaveLength(102);
    expect(counts.writes - before).toBeLessThan(20);
  });

  it('a cork holds at most MAX_CORKED_BYTES: a large burst is written in pieces of that size', async () => {
    const s = await start();
    const counts = countWrites(s);
    const client = await TestClient.as(s, 'carol');
    const before = { ...counts };
    // 100 frames of ~2 KB, about 200 KB in one turn.
    const runId = await burst(s, 'carol', 100, 'y'.repeat(2000));
    await client.run(runId);
    const writes = counts.writes - before.writes;
    const bytes = counts.bytes - before.bytes;
    expect(bytes).toBeGreaterThan(200_000);
    expect(writes).toBeGreaterThanOrEqual(Math.floor(bytes / (MAX_CORKED_BYTES + 2100)));
    expect(writes).toBeLessThan(Math.ceil(bytes / MAX_CORKED_BYTES) + 6);
  });

  it('a reader that stopped reading is still closed with 4000 at the outbound limit', async () => {
    const s = await start({
      hubOptions: {
        limits: { outboundLimitBytes: 256 * 1024, maxRunEvents: 1e6, maxRunBytes: 1 << 30 },
      },
    });
    const reader = await TestClient.as(s, 'dave');
    reader.rawSocket.pause();
    const manager = s.hub.getManager(createUserContext({ userId: 'dave' }));
    const run = await manager.startRun({ agent: 'scripted', input: 'burst' });
    // 2 KB frames, several turns: the kernel's buffers fill, then the outbound bound is passed.
    for (let turn = 0; turn < 1000 && s.routes.connectionCount > 0; turn += 1) {
      const appended: Promise<void>[] = [];
      for (let i = 0; i < 50; i += 1) appended.push(run.delta('z'.repeat(2000)));
      await Promise.all(appended);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await eventually(() => s.routes.connectionCount === 0, 30_000);
    expect(await metricValue(s.registry, 'chat_ws_closes_total', { code: '4000' })).toBe(1);
    reader.rawSocket.resume();
    expect([4000, 1006]).toContain((await reader.closed).code);
  });
});
