import { describe, expect, it } from 'vitest';
import { agent, flush, user, useHubs } from '../test/hub-fixture';
import type { AgentContext } from './agent';

const hubs = useHubs();

/** An agent that stays in its run until released. */
function heldAgent(): { agent: ReturnType<typeof agent>; release: () => void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return {
    agent: agent('held', async (ctx: AgentContext) => {
      await Promise.race([
        held,
        new Promise((resolve) => ctx.signal.addEventListener('abort', resolve)),
      ]);
    }),
    release: () => release(),
  };
}

describe('chat with a preferred run id', () => {
  it('uses a free id for the run: the ack, every event and cancel name it', async () => {
    const { agent: held } = heldAgent();
    const hub = hubs.make({ agents: [held] });
    const manager = hub.getManager(user('alice'));
    const acks: string[] = [];
    const ack = await manager.chat({
      text: 'hi',
      runId: 'client-run-1',
      onAccepted: (accepted) => acks.push(accepted.runId),
    });
    expect(ack.runId).toBe('client-run-1');
    expect(acks).toEqual(['client-run-1']);
    expect(await manager.cancelRun('client-run-1')).toBe(true);
    await flush();
    const read = await hub.engine.readSince('alice', 0);
    expect(read.records.map((r) => [r.event.type, r.event.runId])).toEqual([
      ['user_message', 'client-run-1'],
      ['agent_started', 'client-run-1'],
      ['agent_completed', 'client-run-1'],
    ]);
  });

  it('makes a new id when a run of that id is in flight, for this user or another', async () => {
    const { agent: held, release } = heldAgent();
    const hub = hubs.make({ agents: [held] });
    const alice = hub.getManager(user('alice'));
    const first = await alice.chat({ text: 'hi', runId: 'same' });
    const second = await alice.chat({ text: 'again', runId: 'same' });
    const bobs = await hub.getManager(user('bob')).chat({ text: 'hi', runId: 'same' });
    expect(first.runId).toBe('same');
    expect(second.runId).toMatch(/^r_/);
    expect(bobs.runId).toMatch(/^r_/);
    expect(new Set([first.runId, second.runId, bobs.runId]).size).toBe(3);
    release();
  });

  it('refuses an id that is not 1 to 128 characters, before anything happens', async () => {
    const hub = hubs.make({ agents: [agent('a', async () => undefined)] });
    const manager = hub.getManager(user('alice'));
    for (const runId of ['', 'x'.repeat(129), 7 as unknown as string]) {
      await expect(manager.chat({ text: 'hi', runId })).rejects.toMatchObject({
        code: 'WS_INVALID_INPUT',
      });
    }
    expect(manager.activeRunCount).toBe(0);
    expect((await hub.engine.position('alice')).latestSeq).toBe(0);
  });

  it('gives a repeated client message the ack of the id it got', async () => {
    const hub = hubs.make({ agents: [agent('a', async () => undefined)] });
    const manager = hub.getManager(user('alice'));
    const [first, again] = await Promise.all([
      manager.chat({ text: 'hi', runId: 'mine', clientMessageId: 1 }),
      manager.chat({ text: 'hi', runId: 'other', clientMessageId: 1 }),
    ]);
    expect(first).toEqual({ runId: 'mine', threadId: first.threadId });
    expect(again).toEqual(first);
  });
});
