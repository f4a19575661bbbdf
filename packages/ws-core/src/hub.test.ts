import type { ChatEvent } from '@app/ws-protocol';
import { describe, expect, it, vi } from 'vitest';
import { agent, flush, user, useHubs } from '../test/hub-fixture';
import { getDefaultWebSocketHub, getWebSocketManager } from './default-hub';
import {
  FactoryBypassError,
  InvalidUserContextError,
  ShuttingDownError,
  UserContextRequiredError,
} from './errors';
import { WebSocketManager } from './manager';
import { FakeTransport } from './testing/fake-transport';
import type { UserContext } from './user-context';

const hubs = useHubs();

describe('the factory', () => {
  it('new WebSocketManager() outside the factory throws FactoryBypassError', () => {
    const construct = (): unknown => new WebSocketManager();
    expect(construct).toThrow(FactoryBypassError);
    expect(construct).toThrow(/use getWebSocketManager\(userContext\)/);
    try {
      construct();
    } catch (error) {
      expect(error).toMatchObject({ code: 'WS_FACTORY_BYPASS', name: 'FactoryBypassError' });
    }
    const forged = (): unknown => new WebSocketManager(Symbol('@app/ws-core/manager-factory'), {});
    expect(forged).toThrow(FactoryBypassError);
  });

  it('returns managers that are instances of the exported class', () => {
    const hub = hubs.make();
    const manager = getWebSocketManager(user('alice'), hub);
    expect(manager).toBeInstanceOf(WebSocketManager);
    expect(hub.getManager(user('alice'))).toBe(manager);
  });

  it('requires a user context: WS_USER_CONTEXT_REQUIRED, no anonymous manager', () => {
    const hub = hubs.make();
    for (const missing of [undefined, null]) {
      const call = (): unknown => getWebSocketManager(missing as unknown as UserContext, hub);
      expect(call).toThrow(UserContextRequiredError);
      expect(call).toThrow(expect.objectContaining({ code: 'WS_USER_CONTEXT_REQUIRED' }));
      expect(() => hub.getManager(missing as unknown as UserContext)).toThrow(
        UserContextRequiredError,
      );
    }
    expect(() => getWebSocketManager({ userId: '' }, hub)).toThrow(InvalidUserContextError);
    expect(hub.stats().managers).toBe(0);
  });

  // The factory is synchronous, so calls cannot interleave on one event loop and there is no
  // race to lose here: this checks that the registry keys managers by userId (a fresh context
  // object per call), across many tasks and two users.
  it('factory calls from many tasks give one instance per user, whatever context object they pass', async () => {
    const hub = hubs.make();
    const names = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? 'bob' : 'alice'));
    const managers = await Promise.all(
      names.map((name) => Promise.resolve().then(() => getWebSocketManager(user(name), hub))),
    );
    expect(new Set(managers).size).toBe(2);
    managers.forEach((manager, i) => expect(manager.userId).toBe(names[i]));
    expect(hub.stats().managers).toBe(2);
  });

  it('different users get different managers that share no mutable state', async () => {
    const hub = hubs.make();
    const alice = hub.getManager(user('alice'));
    const bob = hub.getManager(user('bob'));
    expect(alice).not.toBe(bob);
    const transport = new FakeTransport();
    await alice.connect(transport, { heartbeatMs: 1 });
    await bob.startRun({ agent: 'x', input: '' });
    expect(alice.connectionCount).toBe(1);
    expect(bob.connectionCount).toBe(0);
    expect(alice.activeRunCount).toBe(0);
    expect(bob.activeRunCount).toBe(1);
    expect(transport.events).toEqual([]);
  });

  it('without a hub, uses one default hub, made again after it was closed', async () => {
    const manager = getWebSocketManager(user('alice'));
    const hub = getDefaultWebSocketHub();
    expect(getDefaultWebSocketHub()).toBe(hub);
    expect(hub.getManager(user('alice'))).toBe(manager);
    await hub.close();
    expect(getDefaultWebSocketHub()).not.toBe(hub);
    await getDefaultWebSocketHub().close();
  });
});

describe('idle eviction', () => {
  it('evicts managers with no connection and no run after idleTtlMs; the registry returns to empty', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({ idleTtlMs: 60_000, stallTimeoutMs: 600_000 });
    const handles = [];
    for (let i = 0; i < 50; i++) {
      handles.push(
        await hub.getManager(user(`u${i}`)).connect(new FakeTransport(), { heartbeatMs: 1 }),
      );
    }
    const runner = await hub.getManager(user('runner')).startRun({ agent: 'x', input: '' });
    expect(hub.stats()).toEqual({ managers: 51, connections: 50, activeRuns: 1 });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(hub.stats().managers).toBe(51); // busy managers stay
    for (const handle of handles) handle.close();
    await runner.complete();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(hub.stats().managers).toBe(51);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hub.stats()).toEqual({ managers: 0, connections: 0, activeRuns: 0 });
  });

  it('eviction keeps the stream (seq and epoch continue), and an evicted manager forwards calls', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({ idleTtlMs: 1000 });
    const old = hub.getManager(user('alice'));
    const first = new FakeTransport();
    const handle = await old.connect(first, { heartbeatMs: 1 });
    const emitter = await old.startRun({ agent: 'x', input: '' });
    await emitter.complete();
    handle.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(old.isEvicted).toBe(true);
    expect(hub.stats().managers).toBe(0);
    const second = new FakeTransport();
    await old.connect(second, { heartbeatMs: 1 }); // forwarded to the new manager
    const current = hub.getManager(user('alice'));
    expect(current).not.toBe(old);
    expect(current.connectionCount).toBe(1);
    expect(second.controls[0]).toMatchObject({ type: 'welcome', seq: 2, epoch: handle.epoch });
    await (await current.startRun({ agent: 'x', input: '' })).thinking('more');
    expect(second.events.map((e) => e.seq)).toEqual([3, 4]);
  });

  it('a user seen once and never again does not stay in memory', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({ idleTtlMs: 1000 });
    hub.getManager(user('passer-by'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(hub.stats().managers).toBe(0);
  });
});

describe('drain and close', () => {
  it('refuses new chats, lets runs finish within the grace, cancels the rest, delivers their terminal events', async () => {
    vi.useFakeTimers();
    const hub = hubs.make({
      stallTimeoutMs: 60_000,
      agents: [
        agent('quick', async ({ signal }) => {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          if (!signal.aborted) return { response: 'done' };
        }),
        agent(
          'slow',
          ({ signal }) =>
            new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
        ),
      ],
    });
    const transport = new FakeTransport();
    const manager = hub.getManager(user('alice'));
    await manager.connect(transport, { heartbeatMs: 1 });
    await manager.chat({ text: 'a', agent: 'quick' });
    await manager.chat({ text: 'b', agent: 'slow' });
    let drained = false;
    const draining = hub.drain(5000).then(() => (drained = true));
    expect(hub.isShuttingDown).toBe(true);
    await expect(manager.chat({ text: 'c', agent: 'quick' })).rejects.toBeInstanceOf(
      ShuttingDownError,
    );
    await expect(manager.chat({ text: 'c' })).rejects.toMatchObject({ wireCode: 'unavailable' });
    await vi.advanceTimersByTimeAsync(1000);
    const ends = (): string[] =>
      transport.events
        .filter((e): e is ChatEvent<'agent_completed'> => e.type === 'agent_completed')
        .map((e) => e.payload.status);
    expect(ends()).toEqual(['success']);
    expect(drained).toBe(false);
    await vi.advanceTimersByTimeAsync(4000);
    await draining;
    expect(ends()).toEqual(['success', 'cancelled']);
    expect(hub.stats().activeRuns).toBe(0);
  });

  it('close() cancels remaining runs, closes connections with 1001 and is idempotent', async () => {
    const hub = hubs.make();
    const transport = new FakeTransport();
    const manager = hub.getManager(user('alice'));
    await manager.connect(transport, { heartbeatMs: 1 });
    const emitter = await manager.startRun({ agent: 'x', input: '' });
    await Promise.all([hub.close(), hub.close()]);
    expect(hub.isClosed).toBe(true);
    expect(transport.events.at(-1)).toMatchObject({
      type: 'agent_completed',
      payload: { status: 'cancelled' },
    });
    expect(transport.closeCode).toBe(1001);
    expect(emitter.signal.aborted).toBe(true);
    expect((await hub.engine.health()).ok).toBe(false);
    await flush();
  });

  it('does not close an engine it was given', async () => {
    const owner = hubs.make();
    const guest = hubs.make({ engine: owner.engine });
    await guest.close();
    expect((await owner.engine.health()).ok).toBe(true);
  });
});

describe('settings', () => {
  it('fills in the documented defaults', () => {
    const hub = hubs.make();
    expect(hub.settings).toMatchObject({
      retention: { maxEvents: 1000, maxAgeMs: 300_000 },
      limits: {
        maxConnectionsPerUser: 10,
        maxRunsPerUser: 3,
        outboundLimitBytes: 1_048_576,
        maxEventBytes: 65_536,
      },
      rateLimit: { perSecond: 20, burst: 40 },
      stallTimeoutMs: 30_000,
      idleTtlMs: 60_000,
      chatIdempotencyMs: 300_000,
      hookTimeoutMs: 2000,
    });
    expect(hubs.make({ serverId: undefined }).serverId).toMatch(/-\d+$/);
  });

  it('rejects non-positive numbers', () => {
    expect(() => hubs.make({ stallTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => hubs.make({ limits: { maxRunsPerUser: 1.5 } })).toThrow(RangeError);
  });

  it('lists registered agents', () => {
    const hub = hubs.make({ agents: [agent('a', async () => undefined)] });
    hub.agents.register(agent('b', async () => undefined));
    expect(hub.agents.list()).toEqual([
      { name: 'a', description: 'a (test)' },
      { name: 'b', description: 'b (test)' },
    ]);
    expect(() => hub.agents.register(agent('a', async () => undefined))).toThrow(
      expect.objectContaining({ code: 'WS_INVALID_AGENT' }),
    );
  });
});
