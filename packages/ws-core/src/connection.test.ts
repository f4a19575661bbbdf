import type { ResumedFrame, WelcomeFrame } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import { flush, user, useHubs } from '../test/hub-fixture';
import { ConnectionLimitError } from './errors';
import type { MemoryStreamEngine } from './memory-engine';
import { FakeTransport } from './testing/fake-transport';

const hubs = useHubs();

async function emitThinking(hub: ReturnType<typeof hubs.make>, userId: string, n: number) {
  const emitter = await hub.getManager(user(userId)).startRun({ agent: 'test', input: 'hi' });
  for (let i = 0; i < n; i++) await emitter.thinking(`t${i}`);
  return emitter;
}

describe('connect', () => {
  it('sends welcome first, with the stream position, then live events', async () => {
    const hub = hubs.make({ retention: { maxEvents: 50, maxAgeMs: 60_000 } });
    await emitThinking(hub, 'alice', 2); // seq 1..3
    const transport = new FakeTransport();
    const handle = await hub.getManager(user('alice')).connect(transport, { heartbeatMs: 25_000 });
    const welcome = transport.frames[0] as WelcomeFrame;
    expect(welcome).toEqual({
      type: 'welcome',
      protocol: 1,
      connectionId: handle.id,
      userId: 'alice',
      epoch: handle.epoch,
      seq: 3,
      heartbeatMs: 25_000,
      resumeWindow: { maxEvents: 50, maxAgeMs: 60_000, maxBytes: 1024 * 1024 },
      serverId: 'node-test',
      activeRuns: [
        {
          runId: expect.stringMatching(/^r_/) as string,
          threadId: expect.stringMatching(/^t_/) as string,
          agentName: 'test',
          firstSeq: 1,
          startedAt: expect.any(String) as string,
        },
      ],
    });
    expect(handle.id).toMatch(/^c_/);
    expect(welcome.epoch).toMatch(/^e_/);
    await emitThinking(hub, 'alice', 1);
    expect(transport.events.map((e) => e.seq)).toEqual([4, 5]);
    expect(transport.events[0]!.type).toBe('agent_started');
  });

  it('refuses connections past maxConnectionsPerUser and frees the slot on close', async () => {
    const hub = hubs.make({ limits: { maxConnectionsPerUser: 2 } });
    const manager = hub.getManager(user('alice'));
    const first = await manager.connect(new FakeTransport(), { heartbeatMs: 1 });
    await manager.connect(new FakeTransport(), { heartbeatMs: 1 });
    expect(await manager.hasConnectionCapacity()).toBe(false);
    const refused = manager.connect(new FakeTransport(), { heartbeatMs: 1 });
    await expect(refused).rejects.toBeInstanceOf(ConnectionLimitError);
    await expect(refused).rejects.toMatchObject({ code: 'WS_CONNECTION_LIMIT' });
    first.close();
    await flush();
    expect(manager.connectionCount).toBe(1);
    await expect(manager.connect(new FakeTransport(), { heartbeatMs: 1 })).resolves.toBeDefined();
    // Another user is not affected.
    await hub.getManager(user('bob')).connect(new FakeTransport(), { heartbeatMs: 1 });
  });

  it('reserveConnection holds a slot until its connect or release', async () => {
    const hub = hubs.make({ limits: { maxConnectionsPerUser: 2 } });
    const manager = hub.getManager(user('alice'));
    const kept = await manager.reserveConnection();
    const dropped = await manager.reserveConnection();
    expect(kept.connectionId).toMatch(/^c_/);
    expect(await manager.hasConnectionCapacity()).toBe(false);
    await expect(manager.reserveConnection()).rejects.toBeInstanceOf(ConnectionLimitError);
    dropped.release();
    dropped.release();
    await flush();
    expect(await manager.hasConnectionCapacity()).toBe(true);
    const handle = await kept.connect(new FakeTransport(), { heartbeatMs: 1 });
    expect(handle.id).toBe(kept.connectionId);
    expect(manager.connectionCount).toBe(1);
    // The connection's slot is the reserved one, not a second: one more still fits.
    await manager.connect(new FakeTransport(), { heartbeatMs: 1 });
    expect(await manager.hasConnectionCapacity()).toBe(false);
    handle.close();
    await flush();
    expect(await manager.hasConnectionCapacity()).toBe(true);
  });

  it('delivers every event to all of the user’s connections and to nobody else', async () => {
    const hub = hubs.make();
    const alice = hub.getManager(user('alice'));
    const a1 = new FakeTransport();
    const a2 = new FakeTransport();
    const b1 = new FakeTransport();
    await alice.connect(a1, { heartbeatMs: 1 });
    await alice.connect(a2, { heartbeatMs: 1 });
    await hub.getManager(user('bob')).connect(b1, { heartbeatMs: 1 });
    await emitThinking(hub, 'alice', 3);
    expect(a1.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(a2.sent.slice(1)).toEqual(a1.sent.slice(1));
    expect(b1.events).toEqual([]);
    expect(hub.monitor.snapshot().eventsSent).toBe(8);
  });

  it('uses the custom encoder for every frame and skips what it drops', async () => {
    const hub = hubs.make();
    const transport = new FakeTransport();
    await hub.getManager(user('alice')).connect(transport, {
      heartbeatMs: 1,
      encode: (frame) =>
        frame.type === 'welcome' || frame.type === 'agent_thinking'
          ? undefined
          : JSON.stringify({ legacy: frame.type }),
    });
    await emitThinking(hub, 'alice', 2);
    expect(transport.sent).toEqual([JSON.stringify({ legacy: 'agent_started' })]);
  });

  it('sends nothing first when sendWelcome is false', async () => {
    const hub = hubs.make();
    const transport = new FakeTransport();
    await hub.getManager(user('alice')).connect(transport, { heartbeatMs: 1, sendWelcome: false });
    expect(transport.sent).toEqual([]);
  });
});

describe('slow consumers', () => {
  it('closes with 4000 once bufferedAmount passes the bound and writes nothing more', async () => {
    const hub = hubs.make({ limits: { outboundLimitBytes: 1000 } });
    const slow = new FakeTransport({ accumulate: true });
    const fast = new FakeTransport();
    const manager = hub.getManager(user('alice'));
    const handle = await manager.connect(slow, { heartbeatMs: 1 });
    await manager.connect(fast, { heartbeatMs: 1 });
    const emitter = await manager.startRun({ agent: 'test', input: 'x' });
    for (let i = 0; i < 30; i++) await emitter.thinking('y'.repeat(100));
    expect(slow.closeCode).toBe(4000);
    expect(slow.sendsAfterClose).toBe(0);
    expect(handle.closed).toBe(true);
    expect(manager.connectionCount).toBe(1);
    // No event is dropped for the others, and the slow one got a gapless prefix.
    expect(fast.events.map((e) => e.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    const slowSeqs = slow.events.map((e) => e.seq);
    expect(slowSeqs).toEqual(Array.from({ length: slowSeqs.length }, (_, i) => i + 1));
  });

  it('closes with 4000 when the buffer is already past the bound', async () => {
    const hub = hubs.make({ limits: { outboundLimitBytes: 10 } });
    const transport = new FakeTransport();
    await hub.getManager(user('alice')).connect(transport, { heartbeatMs: 1, sendWelcome: false });
    transport.bufferedAmount = 11;
    await emitThinking(hub, 'alice', 1);
    expect(transport.closeCode).toBe(4000);
    expect(transport.sent).toHaveLength(1);
  });
});

describe('sendText', () => {
  it('writes the text as it is, closes 4000 past the bound, and writes nothing once closed', async () => {
    const hub = hubs.make({ limits: { outboundLimitBytes: 10 } });
    const transport = new FakeTransport({ accumulate: true });
    const handle = await hub.getManager(user('alice')).connect(transport, {
      heartbeatMs: 1,
      sendWelcome: false,
    });
    expect(handle.sendText('{"a":1}')).toBe(true);
    expect(transport.sent).toEqual(['{"a":1}']);
    expect(handle.sendText('{"b":2}')).toBe(true);
    expect(transport.closeCode).toBe(4000);
    expect(handle.sendText('{"c":3}')).toBe(false);
    expect(transport.sent).toEqual(['{"a":1}', '{"b":2}']);
    expect(transport.sendsAfterClose).toBe(0);
  });
});

describe('connect-time resume', () => {
  it('replays after lastSeq, then resumed{complete:true}, then live', async () => {
    const hub = hubs.make();
    await emitThinking(hub, 'alice', 4); // 1..5
    const { epoch } = await hub.engine.position('alice');
    const transport = new FakeTransport();
    await hub.getManager(user('alice')).connect(transport, {
      heartbeatMs: 1,
      resume: { lastSeq: 2, epoch },
    });
    await emitThinking(hub, 'alice', 0); // 6
    const types = transport.frames.map((f) =>
      'seq' in f && f.type !== 'welcome' ? f.seq : f.type,
    );
    expect(types).toEqual(['welcome', 3, 4, 5, 'resumed', 6]);
    expect(transport.controls[1]).toEqual({
      type: 'resumed',
      complete: true,
      fromSeq: 3,
      toSeq: 5,
      replayed: 3,
      oldestSeq: 1,
      latestSeq: 5,
    });
  });

  it('reports a resume from the latest seq as complete with nothing replayed', async () => {
    const hub = hubs.make();
    await emitThinking(hub, 'alice', 1);
    const { epoch } = await hub.engine.position('alice');
    const transport = new FakeTransport();
    await hub
      .getManager(user('alice'))
      .connect(transport, { heartbeatMs: 1, resume: { lastSeq: 2, epoch } });
    expect(transport.controls[1]).toEqual({
      type: 'resumed',
      complete: true,
      fromSeq: 3,
      toSeq: 2,
      replayed: 0,
      oldestSeq: 1,
      latestSeq: 2,
    });
  });

  it.each([
    ['another epoch', (epoch: string) => ({ lastSeq: 1, epoch: `${epoch}x` }), 1],
    ['lastSeq beyond the latest seq', (epoch: string) => ({ lastSeq: 9, epoch }), 9],
    ['out of retention', (epoch: string) => ({ lastSeq: 1, epoch }), 1],
  ])('is incomplete for %s, then live after welcome.seq', async (_name, resume, lastSeq) => {
    const hub = hubs.make({ retention: { maxEvents: 3 } });
    // An ended run's events fall under retention (a run in flight would keep all of them).
    await (await emitThinking(hub, 'alice', 3)).complete(); // 1..5, retained 3..5
    const { epoch } = await hub.engine.position('alice');
    const transport = new FakeTransport();
    await hub
      .getManager(user('alice'))
      .connect(transport, { heartbeatMs: 1, resume: resume(epoch) });
    await emitThinking(hub, 'alice', 0); // 6
    const [welcome, resumed, ...rest] = transport.frames;
    expect(welcome).toMatchObject({ type: 'welcome', seq: 5 });
    expect(resumed).toEqual({
      type: 'resumed',
      complete: false,
      fromSeq: lastSeq + 1,
      toSeq: lastSeq,
      replayed: 0,
      oldestSeq: 3,
      latestSeq: 5,
    });
    expect(rest.map((f) => ('seq' in f ? f.seq : undefined))).toEqual([6]);
    expect(hub.monitor.snapshot().resumes).toEqual({ complete: 0, incomplete: 1 });
  });

  it.each([
    { malformed: true as const },
    { lastSeq: -1, epoch: 'e_x' },
    { lastSeq: 1.5, epoch: 'e_x' },
    { lastSeq: 1, epoch: '' },
  ])('is incomplete for malformed values %j', async (resume) => {
    const hub = hubs.make();
    await emitThinking(hub, 'alice', 1);
    const transport = new FakeTransport();
    await hub.getManager(user('alice')).connect(transport, { heartbeatMs: 1, resume });
    expect(transport.controls[1]).toEqual({
      type: 'resumed',
      complete: false,
      fromSeq: 3,
      toSeq: 2,
      replayed: 0,
      oldestSeq: 1,
      latestSeq: 2,
    });
  });

  it('has no gap or repeat when events are emitted during the replay', async () => {
    const hub = hubs.make();
    const emitter = await emitThinking(hub, 'alice', 3); // 1..4
    const { epoch } = await hub.engine.position('alice');
    const original = hub.engine.readSince.bind(hub.engine);
    // Emit while the replay read is in flight, before and after the read takes its snapshot.
    hub.engine.readSince = async (...args) => {
      await emitter.thinking('during-1');
      const result = await original(...args);
      await emitter.thinking('during-2');
      return result;
    };
    const transport = new FakeTransport();
    await hub
      .getManager(user('alice'))
      .connect(transport, { heartbeatMs: 1, resume: { lastSeq: 1, epoch } });
    await emitter.thinking('after');
    expect(transport.events.map((e) => e.seq)).toEqual([2, 3, 4, 5, 6, 7]);
    expect((transport.controls[1] as ResumedFrame).toSeq).toBe(5);
    const frames = transport.frames.map((f) => f.type);
    expect(frames.indexOf('resumed')).toBe(5);
  });
});

describe('resume on an open connection', () => {
  it('pauses live, replays after lastSeq, sends resumed, continues without gap', async () => {
    const hub = hubs.make();
    const manager = hub.getManager(user('alice'));
    const transport = new FakeTransport();
    const handle = await manager.connect(transport, { heartbeatMs: 1 });
    const emitter = await emitThinking(hub, 'alice', 3); // 1..4 live
    const original = hub.engine.readSince.bind(hub.engine);
    hub.engine.readSince = async (...args) => {
      await emitter.thinking('during'); // 5, buffered
      return original(...args);
    };
    transport.clear();
    const resumed = await handle.resume(2, handle.epoch);
    expect(resumed).toEqual({
      type: 'resumed',
      complete: true,
      fromSeq: 3,
      toSeq: 5,
      replayed: 3,
      oldestSeq: 1,
      latestSeq: 5,
    });
    await emitter.thinking('after'); // 6
    expect(transport.frames.map((f) => ('seq' in f ? f.seq : f.type))).toEqual([
      3,
      4,
      5,
      'resumed',
      6,
    ]);
  });

  it('answers incomplete for another epoch and continues live where it was', async () => {
    const hub = hubs.make();
    const transport = new FakeTransport();
    const handle = await hub.getManager(user('alice')).connect(transport, { heartbeatMs: 1 });
    const emitter = await emitThinking(hub, 'alice', 1); // 1..2
    const resumed = await handle.resume(1, 'e_other');
    expect(resumed).toMatchObject({
      complete: false,
      fromSeq: 2,
      toSeq: 1,
      replayed: 0,
      latestSeq: 2,
    });
    await emitter.thinking('x');
    expect(transport.events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('closes connections with 1011 when the stream is reset', async () => {
    const hub = hubs.make();
    const transport = new FakeTransport();
    await hub.getManager(user('alice')).connect(transport, { heartbeatMs: 1 });
    const engine = hub.engine as MemoryStreamEngine;
    await engine.resetStream('alice');
    expect(transport.closeCode).toBe(1011);
    expect(hub.stats().connections).toBe(0);
  });
});

describe('failures', () => {
  it('closes with 4000 when live events buffered during a replay pass the bound', async () => {
    const hub = hubs.make({ limits: { outboundLimitBytes: 2000 } });
    const transport = new FakeTransport();
    const handle = await hub.getManager(user('alice')).connect(transport, { heartbeatMs: 1 });
    const emitter = await emitThinking(hub, 'alice', 0);
    const original = hub.engine.readSince.bind(hub.engine);
    hub.engine.readSince = async (...args) => {
      for (let i = 0; i < 20; i++) await emitter.thinking('z'.repeat(200)); // buffered
      return original(...args);
    };
    await handle.resume(0, handle.epoch);
    expect(transport.closeCode).toBe(4000);
    expect(transport.sendsAfterClose).toBe(0);
    expect(handle.closed).toBe(true);
  });

  it('rejects with EngineUnavailableError and registers nothing when the engine is closed', async () => {
    const hub = hubs.make();
    await hub.engine.close();
    const manager = hub.getManager(user('alice'));
    await expect(manager.connect(new FakeTransport(), { heartbeatMs: 1 })).rejects.toMatchObject({
      code: 'WS_ENGINE_UNAVAILABLE',
      wireCode: 'unavailable',
    });
    expect(manager.connectionCount).toBe(0);
    await expect(manager.startRun({ agent: 'x', input: '' })).rejects.toMatchObject({
      code: 'WS_ENGINE_UNAVAILABLE',
    });
    expect(manager.activeRunCount).toBe(0);
  });
});
