/**
 * Several users on two real chat-server processes over one Redis (docs/scaling.md): concurrent
 * runs on both nodes reach every tab of their own user, in order, and no frame of one user
 * reaches another; a ticket issued by one node opens a socket on the other, once.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatClient, Frame } from './support/chat-client.js';
import { devLoginOn, type ChatNode } from './support/multi-node-cluster.js';
import { expectContiguous } from './support/node-clients.js';
import { useRedisCluster } from './support/redis-cluster.js';

const cluster = useRedisCluster([{ serverId: 'node-a' }, { serverId: 'node-b' }]);
const a = (): ChatNode => cluster.node('node-a');
const b = (): ChatNode => cluster.node('node-b');
const connect = cluster.clients.connect.bind(cluster.clients);

/** A user id no other run of this test uses. */
const user = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

/** One user: a tab on each node, and what it sent. */
interface UserTabs {
  userId: string;
  tabs: ChatClient[];
  welcomes: Frame[];
  runIds: Set<string>;
  sentIds: Set<string>;
}

async function openTabs(name: string): Promise<UserTabs> {
  const userId = user(name);
  const token = await devLoginOn(a(), userId);
  const tabs = [await connect(a(), token), await connect(b(), token)];
  const welcomes = await Promise.all(tabs.map((tab) => tab.waitForType('welcome')));
  return { userId, tabs, welcomes, runIds: new Set(), sentIds: new Set() };
}

/** Sends a chat through `tab` and resolves with its run id once acked. */
async function chat(owner: UserTabs, tab: ChatClient, id: string, text: string): Promise<string> {
  owner.sentIds.add(id);
  tab.send({ type: 'chat', id, text });
  const ack = await tab.waitFor((frame) => frame.type === 'ack' && frame.ref === id, `ack ${id}`);
  const runId = String(ack.runId);
  owner.runIds.add(runId);
  return runId;
}

describe('several users on two nodes', () => {
  it('get their own concurrent runs on every tab, and never a frame of another user', async () => {
    const users = await Promise.all(['ann', 'ben', 'cid', 'dee'].map(openTabs));

    // Every user starts three runs at once — two through the tab on A, one through B — so
    // each node owns runs of every user while the others' run.
    await Promise.all(
      users.map(async (owner, index) => {
        const [onA, onB] = owner.tabs as [ChatClient, ChatClient];
        const factor = 11 + index;
        await Promise.all([
          chat(owner, onA, `${owner.userId}-calc`, `what is ${factor}*${factor}?`),
          chat(owner, onA, `${owner.userId}-slow`, 'slow 2'),
          chat(owner, onB, `${owner.userId}-sum`, `what is ${factor}+1000?`),
        ]);
      }),
    );
    await Promise.all(
      users.flatMap((owner) =>
        owner.tabs.flatMap((tab) =>
          [...owner.runIds].map((runId) => tab.waitForType('agent_completed', runId)),
        ),
      ),
    );

    for (const [index, owner] of users.entries()) {
      const [onA, onB] = owner.tabs as [ChatClient, ChatClient];
      for (const [tabIndex, tab] of owner.tabs.entries()) {
        const where = `${owner.userId} on ${tabIndex === 0 ? 'A' : 'B'}`;
        expect(owner.welcomes[tabIndex], where).toMatchObject({ userId: owner.userId });
        for (const frame of tab.frames) {
          if (frame.runId !== undefined) {
            expect(owner.runIds.has(String(frame.runId)), `${where}: ${frame.type}`).toBe(true);
          }
          if (frame.userId !== undefined) expect(frame.userId, where).toBe(owner.userId);
          if (frame.ref !== undefined) {
            const ours = typeof frame.ref === 'string' && owner.sentIds.has(frame.ref);
            expect(ours, `${where}: ${frame.type}`).toBe(true);
          }
        }
        expectContiguous(tab.events(), Number(owner.welcomes[tabIndex]!.seq) + 1);
      }
      expect(onB.events(), owner.userId).toEqual(onA.events());

      const completed = onA.events().filter((event) => event.type === 'agent_completed');
      expect(completed).toHaveLength(3);
      for (const event of completed) expect(event.payload).toMatchObject({ status: 'success' });
      const responses = completed.map((event) => String(event.payload?.response)).join(' | ');
      const factor = 11 + index;
      expect(responses).toContain(String(factor * factor));
      expect(responses).toContain(String(factor + 1000));
    }
  });
});

describe('a ticket issued by one node', () => {
  async function ticketFrom(node: ChatNode, token: string): Promise<string> {
    const response = await fetch(`${node.url}/api/v1/ws-ticket`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { ticket: string }).ticket;
  }

  it('opens a socket for its user on the other node, once', async () => {
    for (const [issuer, redeemer] of [
      [a(), b()],
      [b(), a()],
    ] as const) {
      const userId = user('tia');
      const ticket = await ticketFrom(issuer, await devLoginOn(issuer, userId));
      const client = await connect(redeemer, undefined, { ticket });
      expect(await client.waitForType('welcome')).toMatchObject({
        userId,
        serverId: redeemer.serverId,
      });
      client.send({ type: 'chat', id: 't1', text: 'what is 6*7?' });
      const ack = await client.waitFor((frame) => frame.type === 'ack', 'ack');
      const done = await client.waitForType('agent_completed', String(ack.runId));
      expect(String(done.payload?.response)).toContain('42');

      // Used: neither node takes it again.
      for (const node of [redeemer, issuer]) {
        await expect(connect(node, undefined, { ticket })).rejects.toThrow(/HTTP 401/);
      }
    }
  });
});
