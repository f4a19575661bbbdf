/**
 * SIGTERM of one chat-server process in the middle of runs, in multi-node mode (two or three
 * real processes over one Redis, docs/scaling.md): the stopping node ends its own runs — within
 * its grace, or cancelled after it — and every client gets the terminal events; a client of the
 * stopping node whose run lives on another node resumes there. Nothing is lost or repeated.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatClient, Frame } from './support/chat-client.js';
import { devLoginOn, type ChatNode } from './support/multi-node-cluster.js';
import { expectContiguous } from './support/node-clients.js';
import { useRedisCluster } from './support/redis-cluster.js';

// node-a: the cluster's short grace (500 ms); node-c: a grace no run of this file outlasts.
const cluster = useRedisCluster([
  { serverId: 'node-a' },
  { serverId: 'node-b' },
  { serverId: 'node-c', env: { SHUTDOWN_GRACE_MS: '120000' } },
]);
const node = (serverId: string): ChatNode => cluster.node(serverId);
const connect = cluster.clients.connect.bind(cluster.clients);

/** A user id no other run of this test uses. */
const user = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

/** A tab of `token`'s user on `on`, and its `welcome`. */
async function tabOn(on: ChatNode, token: string): Promise<{ tab: ChatClient; welcome: Frame }> {
  const tab = await connect(on, token);
  return { tab, welcome: await tab.waitForType('welcome') };
}

async function startRun(tab: ChatClient, id: string, text: string): Promise<string> {
  tab.send({ type: 'chat', id, text });
  return String((await tab.waitFor((f) => f.type === 'ack' && f.ref === id, `ack ${id}`)).runId);
}

/**
 * Reconnects a client of a stopped node to `to` with `?lastSeq=&epoch=` from what it saw, and
 * resolves with every event it saw before and after, once it has seen `runId` end.
 */
async function resumeOn(
  to: ChatNode,
  token: string,
  { tab, welcome }: { tab: ChatClient; welcome: Frame },
  runId: string,
): Promise<{ all: Frame[]; resumed: Frame }> {
  const seen = tab.events();
  const lastSeq = Number(seen.at(-1)?.seq ?? welcome.seq);
  const again = await connect(to, token, {
    lastSeq: String(lastSeq),
    epoch: String(welcome.epoch),
  });
  const resumed = await again.waitForType('resumed');
  expect(resumed).toMatchObject({ complete: true, fromSeq: lastSeq + 1 });
  const ended = (event: Frame): boolean =>
    event.type === 'agent_completed' && event.runId === runId;
  if (!seen.some(ended)) await again.waitFor(ended, `the end of ${runId}`);
  return { all: [...seen, ...again.events()], resumed };
}

describe('SIGTERM of one node in the middle of runs', () => {
  it('cancels its runs after the grace for every tab; a tab whose run lives elsewhere resumes there', async () => {
    const a = node('node-a');
    const b = node('node-b');
    // Ula: a long run owned by A, tabs on A and B. Vic: a run owned by B, tabs on A and B.
    const ula = await devLoginOn(b, user('ula'));
    const vic = await devLoginOn(b, user('vic'));
    const ulaOnA = await tabOn(a, ula);
    const ulaOnB = await tabOn(b, ula);
    const vicOnA = await tabOn(a, vic);
    const vicOnB = await tabOn(b, vic);
    const ulaRun = await startRun(ulaOnA.tab, 'u1', 'slow 30');
    const vicRun = await startRun(vicOnB.tab, 'v1', 'slow 6');
    await Promise.all([
      ulaOnB.tab.waitForType('agent_thinking', ulaRun),
      vicOnA.tab.waitForType('agent_thinking', vicRun),
    ]);

    a.child.kill('SIGTERM');

    // The stopping node's run: cancelled after the grace, seen by both tabs, then 1001 on A.
    const cancelled = await ulaOnB.tab.waitForType('agent_completed', ulaRun);
    expect(cancelled.payload).toMatchObject({ status: 'cancelled' });
    expect(await ulaOnA.tab.waitForType('agent_completed', ulaRun)).toEqual(cancelled);
    expect((await ulaOnA.tab.closed).code).toBe(1001);
    expect((await vicOnA.tab.closed).code).toBe(1001);
    expect(await a.exited).toBe(0);
    expect(a.output()).not.toMatch(/"severity":"(ERROR|CRITICAL)"/);

    // Ula's tab on A comes back on B: it had seen everything, so nothing is replayed.
    const ulaBack = await resumeOn(b, ula, ulaOnA, ulaRun);
    expect(ulaBack.resumed).toMatchObject({ replayed: 0 });
    expectContiguous(ulaBack.all, Number(ulaOnA.welcome.seq) + 1);
    expect(ulaBack.all).toEqual(ulaOnB.tab.events());
    expect(ulaBack.all.filter((e) => e.type === 'agent_completed')).toHaveLength(1);

    // Vic's run went on at B; his tab on A resumes there and gets the rest, once each.
    const vicBack = await resumeOn(b, vic, vicOnA, vicRun);
    await vicOnB.tab.waitForType('agent_completed', vicRun);
    expect(vicBack.all.at(-1)).toMatchObject({
      type: 'agent_completed',
      payload: { status: 'success' },
    });
    expectContiguous(vicBack.all, Number(vicOnA.welcome.seq) + 1);
    expect(vicBack.all).toEqual(vicOnB.tab.events());
    expect(b.running).toBe(true);
  });

  it('lets a run that ends within the grace finish with success on every tab', async () => {
    const b = node('node-b');
    const c = node('node-c');
    const wes = await devLoginOn(b, user('wes'));
    const { tab: onC, welcome: welcomeC } = await tabOn(c, wes);
    const { tab: onB } = await tabOn(b, wes);
    const runId = await startRun(onC, 'w1', 'slow 3');
    await onB.waitForType('agent_thinking', runId);

    c.child.kill('SIGTERM');

    const done = await onB.waitForType('agent_completed', runId);
    expect(done.payload).toMatchObject({ status: 'success' });
    expect(await onC.waitForType('agent_completed', runId)).toEqual(done);
    expect((await onC.closed).code).toBe(1001);
    expect(await c.exited).toBe(0);
    expectContiguous(onC.events(), Number(welcomeC.seq) + 1);
    expect(onC.events()).toEqual(onB.events());
  });
});
