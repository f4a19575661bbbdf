/**
 * Joining mid-run across two real chat-server processes over Redis
 * (docs/protocol.md#8-joining-mid-run): a run started on node A, joined on node B after 2,000 of
 * its 3,000 deltas, is replayed there exactly, complete, with the rest live.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { devLoginOn, type ChatNode } from './support/multi-node-cluster.js';
import { expectSameRun, joinMidRun } from './support/late-join.js';
import { useRedisCluster } from './support/redis-cluster.js';

const cluster = useRedisCluster([{ serverId: 'node-a' }, { serverId: 'node-b' }]);
let a: ChatNode;
let b: ChatNode;

beforeAll(() => {
  [a, b] = ['node-a', 'node-b'].map((id) => cluster.node(id)) as [ChatNode, ChatNode];
});

const user = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

describe('two nodes over one Redis', () => {
  it('replay a 3,000-delta run started on A to a view joining on B after 2,000 deltas', async () => {
    const token = await devLoginOn(a, user('late'));
    const starting = await cluster.clients.connect(a, token);
    await starting.waitForType('welcome');
    starting.send({ type: 'chat', id: 'c1', text: 'stream 3000 at 500' });
    const runId = String((await starting.waitForType('ack')).runId);
    await starting.waitFor(
      (f) => f.type === 'agent_response_delta' && f.payload?.delta === 'w2000 ',
      'delta 2000',
    );

    const { client, resumed, listed } = await joinMidRun(
      (query) => cluster.clients.connect(b, token, query),
      runId,
    );
    const first = starting.runEvents(runId)[0]!;
    expect(listed).toMatchObject({ runId, agentName: 'assistant', firstSeq: first.seq });
    expect(resumed).toMatchObject({ complete: true, fromSeq: first.seq });
    expect(Number(resumed.replayed)).toBeGreaterThan(2000);

    await starting.waitForType('agent_completed', runId);
    await client.waitForType('agent_completed', runId);
    expectSameRun(starting, client, runId);
    expect(client.runEvents(runId).filter((e) => e.type === 'agent_response_delta')).toHaveLength(
      3000,
    );

    // Ended: no node lists it any more.
    const after = await cluster.clients.connect(b, token);
    expect((await after.waitForType('welcome')).activeRuns).toEqual([]);
  });
});
