/**
 * Chat idempotency and the run cap across real chat-server processes over one Redis
 * (docs/scaling.md#rule-9-idempotency-and-caps-hold-across-nodes), on raw frames: a chat id
 * resent on the other node gets the original `ack` and starts no second run; runs opened on
 * both nodes count against one `WS_MAX_RUNS_PER_USER`; a run that ends gives its slot back, and
 * so does the run of a SIGKILLed node once it ended with `node_lost`.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatClient, Frame } from './support/chat-client.js';
import { devLoginOn, type ChatNode } from './support/multi-node-cluster.js';
import { expectContiguous } from './support/node-clients.js';
import { useRedisCluster } from './support/redis-cluster.js';

const cap = { WS_MAX_RUNS_PER_USER: '2' };
const cluster = useRedisCluster([
  { serverId: 'node-a', env: cap },
  { serverId: 'node-b', env: cap },
  { serverId: 'node-c', env: cap },
]);
const node = (serverId: string): ChatNode => cluster.node(serverId);
const connect = cluster.clients.connect.bind(cluster.clients);

/** A user id no other run of this test uses. */
const user = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

/** A tab of `token`'s user on `on`, once it got its `welcome`. */
async function tabOn(on: ChatNode, token: string): Promise<{ tab: ChatClient; welcome: Frame }> {
  const tab = await connect(on, token);
  return { tab, welcome: await tab.waitForType('welcome') };
}

/** Sends `chat` with `id` and resolves with the frame that answers it (`ack` or `error`). */
async function send(tab: ChatClient, id: string, text: string): Promise<Frame> {
  const before = answers(tab, id).length;
  tab.send({ type: 'chat', id, text });
  await tab.waitFor(() => answers(tab, id).length > before, `the answer to ${id}`);
  return answers(tab, id)[before]!;
}

/** The answers (`ack` or `error`) to `id` this tab got so far. */
function answers(tab: ChatClient, id: string): Frame[] {
  return tab.frames.filter(
    (frame) => (frame.type === 'ack' || frame.type === 'error') && frame.ref === id,
  );
}

describe('chat ids and the run cap across nodes', () => {
  it('answers a chat id resent on the other node with the original ack, and starts no second run', async () => {
    const a = node('node-a');
    const b = node('node-b');
    const token = await devLoginOn(a, user('ida'));
    const onA = await tabOn(a, token);
    const onB = await tabOn(b, token);

    const first = await send(onA.tab, 'c1', 'slow 2');
    expect(first).toMatchObject({ type: 'ack', ref: 'c1', runId: expect.stringMatching(/^r_/) });
    // The client lost the ack and resends over a connection that landed on the other node.
    const resent = await send(onB.tab, 'c1', 'slow 2');
    expect(resent).toEqual(first);
    await onB.tab.waitForType('agent_completed', String(first.runId));
    // Once the run ended, the id still answers with the same ack (within 5 minutes).
    const late = await send(onB.tab, 'c1', 'slow 2');
    expect(late).toEqual(first);
    // Another id starts a run of its own; its ack comes after the first run's end.
    const other = await send(onB.tab, 'c2', 'hello');
    expect(other.runId).not.toBe(first.runId);
    for (const { tab } of [onA, onB]) await tab.waitForType('agent_completed', String(other.runId));

    // On both tabs: exactly two runs, one user_message and one terminal each, nothing repeated.
    for (const { tab, welcome } of [onA, onB]) {
      const events = tab.events();
      expectContiguous(events, Number(welcome.seq) + 1);
      expect(new Set(events.map((event) => event.runId))).toEqual(
        new Set([first.runId, other.runId]),
      );
      const messages = events.filter((event) => event.type === 'user_message');
      expect(messages.map((event) => event.runId)).toEqual([first.runId, other.runId]);
      const ends = events.filter((event) => event.type === 'agent_completed');
      expect(ends.map((event) => [event.runId, event.payload?.status])).toEqual([
        [first.runId, 'success'],
        [other.runId, 'success'],
      ]);
    }
    expect(answers(onB.tab, 'c1')).toEqual([first, first]);
  });

  it('counts runs on both nodes against one cap; a run that ends gives its slot back', async () => {
    const a = node('node-a');
    const b = node('node-b');
    const token = await devLoginOn(a, user('cap'));
    const onA = await tabOn(a, token);
    const onB = await tabOn(b, token);

    const one = await send(onA.tab, 'r1', 'slow 30');
    const two = await send(onB.tab, 'r2', 'slow 30');
    expect([one.type, two.type]).toEqual(['ack', 'ack']);
    for (const [tab, id] of [
      [onA.tab, 'r3'],
      [onB.tab, 'r4'],
    ] as const) {
      expect(await send(tab, id, 'hello')).toMatchObject({
        type: 'error',
        ref: id,
        code: 'too_many_runs',
      });
    }

    // The run owned by B is cancelled from A (through the control channel): a slot is free.
    onA.tab.send({ type: 'cancel', id: 'x2', runId: two.runId });
    const cancelled = await onA.tab.waitForType('agent_completed', String(two.runId));
    expect(cancelled.payload).toMatchObject({ status: 'cancelled' });
    const three = await send(onA.tab, 'r5', 'slow 30');
    expect(three).toMatchObject({ type: 'ack', ref: 'r5' });
    expect(await send(onB.tab, 'r6', 'hello')).toMatchObject({ code: 'too_many_runs' });

    // A refused id was not recorded: sent again once there is room, it starts its run.
    onB.tab.send({ type: 'cancel', id: 'x1', runId: one.runId });
    await onB.tab.waitForType('agent_completed', String(one.runId));
    const retried = await send(onB.tab, 'r4', 'hello');
    expect(retried).toMatchObject({ type: 'ack', ref: 'r4' });
    await onA.tab.waitForType('agent_completed', String(retried.runId));
    onA.tab.send({ type: 'cancel', id: 'x5', runId: three.runId });
    await onB.tab.waitForType('agent_completed', String(three.runId));
  });

  it('stops counting the run of a SIGKILLed node once it ended with node_lost', async () => {
    const b = node('node-b');
    const c = node('node-c');
    const token = await devLoginOn(b, user('kil'));
    const onB = await tabOn(b, token);
    const onC = await tabOn(c, token);

    const lost = await send(onC.tab, 'k1', 'slow 30');
    const kept = await send(onB.tab, 'k2', 'slow 30');
    expect([lost.type, kept.type]).toEqual(['ack', 'ack']);
    await onB.tab.waitForType('agent_thinking', String(lost.runId));
    expect(await send(onB.tab, 'k3', 'hello')).toMatchObject({ code: 'too_many_runs' });

    c.child.kill('SIGKILL');
    expect(await c.exited).toBe('SIGKILL');
    const ended = await onB.tab.waitForType('agent_completed', String(lost.runId));
    expect(ended.payload).toMatchObject({ status: 'error', error: { code: 'node_lost' } });

    const after = await send(onB.tab, 'k4', 'hello');
    expect(after).toMatchObject({ type: 'ack', ref: 'k4' });
    await onB.tab.waitForType('agent_completed', String(after.runId));
    // The kept run still counts: with it and one more, the cap is reached again.
    const more = await send(onB.tab, 'k5', 'slow 30');
    expect(more.type).toBe('ack');
    expect(await send(onB.tab, 'k6', 'hello')).toMatchObject({ code: 'too_many_runs' });
    onB.tab.send({ type: 'cancel', id: 'x2', runId: kept.runId });
    onB.tab.send({ type: 'cancel', id: 'x5', runId: more.runId });
    await onB.tab.waitForType('agent_completed', String(more.runId));
  });
});
