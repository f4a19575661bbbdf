/**
 * Graceful drain of one node of several over Redis (docs/server.md#shutdown,
 * docs/scaling.md#a-rolling-deploy), with a run in flight, seen by the client SDK
 * (`@app/ws-client`) behind a round-robin balancer and by raw frames: after SIGTERM the node
 * takes no new work (readiness 503, upgrades 503 `shutting_down`, `chat` → `error unavailable`),
 * lets the run finish within `SHUTDOWN_GRACE_MS` — or cancels it past the grace — delivers its
 * terminal event, closes with 1001, and the SDK reconnects to the other node and resumes there:
 * every event of the run once, in order, on the wire and in what the SDK delivered.
 */
import { randomBytes } from 'node:crypto';
import { createChatClient, type ChatClient as SdkClient, type RunView } from '@app/ws-client';
import type { ChatEvent } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import { balancedWebSocket, type BalancedLeg } from './support/balanced-websocket.js';
import type { ChatClient, Frame } from './support/chat-client.js';
import {
  devLoginOn,
  readiness,
  refusedUpgrade,
  waitUntil,
  type ChatNode,
} from './support/multi-node-cluster.js';
import { expectContiguous } from './support/node-clients.js';
import { useRedisCluster } from './support/redis-cluster.js';

// node-a: a grace no run of this file outlasts; node-c: the cluster's short one (500 ms).
const cluster = useRedisCluster([
  { serverId: 'node-a', env: { SHUTDOWN_GRACE_MS: '120000' } },
  { serverId: 'node-b' },
  { serverId: 'node-c' },
]);
const node = (serverId: string): ChatNode => cluster.node(serverId);
const connect = cluster.clients.connect.bind(cluster.clients);

/** A guard against a hang on a loaded machine, not a latency bound. */
const WAIT_MS = 60_000;

/** A user id no other run of this test uses. */
const user = (name: string): string => `${name}-${randomBytes(4).toString('hex')}`;

/** A raw tab of `token`'s user on `on`, once it got its `welcome`. */
async function tabOn(on: ChatNode, token: string): Promise<{ tab: ChatClient; welcome: Frame }> {
  const tab = await connect(on, token);
  return { tab, welcome: await tab.waitForType('welcome') };
}

/** An SDK client behind a balancer over `nodes` (first attempt to the first), and what it saw. */
interface Balanced {
  client: SdkClient;
  legs: BalancedLeg[];
  events: ChatEvent[];
  views: Map<string, RunView>;
}

function sdkBehind(nodes: readonly ChatNode[], token: string): Balanced {
  const balancer = balancedWebSocket(nodes);
  const client = createChatClient({
    url: 'ws://balancer.invalid/ws',
    getToken: () => token,
    WebSocket: balancer.WebSocket,
    connectTimeoutMs: WAIT_MS,
    requestTimeoutMs: WAIT_MS,
    backoff: { baseMs: 100, capMs: 1000 },
  });
  const seen: Balanced = { client, legs: balancer.legs, events: [], views: new Map() };
  client.on('event', (event) => seen.events.push(event));
  client.on('run', (view) => seen.views.set(view.runId, view));
  return seen;
}

async function until(check: () => boolean, what: string): Promise<void> {
  await waitUntil(check, WAIT_MS, what);
}

/** The run's events a leg received on the wire, in order. */
function wireEvents(leg: BalancedLeg, runId: string): Frame[] {
  return leg.frames.filter((frame) => frame.runId === runId && typeof frame.seq === 'number');
}

/**
 * What must hold once the SDK came back on `to` after the drain of `from`: the drained leg
 * closed with 1001 after the run's terminal event, the next leg went to `to` and resumed
 * completely without replaying anything, and the run's events — on the wire over both legs and
 * as the SDK delivered them — are the observer's, each once, in order, ending with `status`.
 */
function expectResumedElsewhere(
  seen: Balanced,
  observer: ChatClient,
  runId: string,
  from: string,
  to: string,
  status: string,
): void {
  const [drained, next] = seen.legs as [BalancedLeg, BalancedLeg];
  expect(drained).toMatchObject({ serverId: from, closeCode: 1001 });
  expect(wireEvents(drained, runId).at(-1)).toMatchObject({
    type: 'agent_completed',
    payload: { status },
  });
  expect(next.serverId).toBe(to);
  expect(next.frames[0]).toMatchObject({ type: 'welcome', serverId: to });
  expect(next.frames.find((frame) => frame.type === 'resumed')).toMatchObject({
    complete: true,
    replayed: 0,
  });

  const reference = observer.runEvents(runId);
  expect(reference.at(-1)).toMatchObject({ type: 'agent_completed', payload: { status } });
  expectContiguous(reference, Number(reference[0]?.seq));
  const onTheWire = seen.legs.flatMap((leg) => wireEvents(leg, runId));
  expect(onTheWire).toEqual(reference);
  expect(seen.events.filter((event) => event.runId === runId)).toEqual(reference);
  expect(seen.views.get(runId)?.status).toBe(status);
}

describe('SIGTERM of one node with a run in flight', () => {
  it('takes no new work, lets the run finish, and the SDK resumes on the other node', async () => {
    const a = node('node-a');
    const b = node('node-b');
    const token = await devLoginOn(b, user('dra'));
    const observer = await tabOn(b, token);
    const rawOnA = await tabOn(a, token);
    const seen = sdkBehind([a, b], token);
    try {
      await until(() => seen.client.state === 'open', 'the SDK on node-a');
      const { runId } = await seen.client.chat('stream 400 at 100');
      await until(
        () => seen.events.filter((event) => event.runId === runId).length >= 30,
        'thirty events of the run',
      );

      a.child.kill('SIGTERM');

      // No new work on A: not ready, upgrades refused, a chat on an open socket refused.
      await waitUntil(async () => (await readiness(a)).status === 503, WAIT_MS, 'A not ready');
      expect(await refusedUpgrade(a, token)).toEqual({ status: 503, error: 'shutting_down' });
      rawOnA.tab.send({ type: 'chat', id: 'late', text: 'hello' });
      const refusal = await rawOnA.tab.waitFor((frame) => frame.ref === 'late', 'the refusal');
      expect(refusal).toMatchObject({ type: 'error', code: 'unavailable' });
      // Meanwhile the run goes on, and ends with success within the grace.
      await until(() => seen.views.get(runId)?.status === 'success', 'the run’s end');
      expect((await rawOnA.tab.closed).code).toBe(1001);
      expect(await a.exited).toBe(0);
      expect(a.output()).not.toMatch(/"severity":"(ERROR|CRITICAL)"/);

      // The SDK reconnected through the balancer to B, and nothing was lost or repeated.
      await until(
        () => seen.legs.length >= 2 && seen.client.state === 'open',
        'the SDK back on node-b',
      );
      expectResumedElsewhere(seen, observer.tab, runId, 'node-a', 'node-b', 'success');
      expect(rawOnA.tab.runEvents(runId)).toEqual(observer.tab.runEvents(runId));

      // The client works on: a new chat runs on B.
      const next = await seen.client.chat('hello');
      await until(() => seen.views.get(next.runId)?.status === 'success', 'the next run on B');
      expect(seen.legs).toHaveLength(2);
    } finally {
      seen.client.close();
    }
  });

  it('cancels a run that outlasts the grace, delivers its terminal event, and the SDK resumes elsewhere', async () => {
    const b = node('node-b');
    const c = node('node-c');
    const token = await devLoginOn(b, user('grc'));
    const observer = await tabOn(b, token);
    const seen = sdkBehind([c, b], token);
    try {
      await until(() => seen.client.state === 'open', 'the SDK on node-c');
      const { runId } = await seen.client.chat('slow 30');
      await until(
        () => (seen.views.get(runId)?.steps.length ?? 0) >= 2,
        'the run under way on node-c',
      );

      c.child.kill('SIGTERM');

      await until(() => seen.views.get(runId)?.status === 'cancelled', 'the run cancelled');
      expect(await c.exited).toBe(0);
      await until(
        () => seen.legs.length >= 2 && seen.client.state === 'open',
        'the SDK back on node-b',
      );
      expectResumedElsewhere(seen, observer.tab, runId, 'node-c', 'node-b', 'cancelled');
    } finally {
      seen.client.close();
    }
  });
});
