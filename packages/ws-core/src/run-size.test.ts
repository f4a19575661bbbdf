import type { ChatEvent } from '@app/ws-protocol';
import { describe, expect, it } from 'vitest';
import { agent, flush, user, useHubs } from '../test/hub-fixture';
import { RunStateError, RunTooLargeError } from './errors';
import { FakeTransport } from './testing/fake-transport';

const hubs = useHubs();

async function connected(hub: ReturnType<typeof hubs.make>): Promise<FakeTransport> {
  const transport = new FakeTransport();
  await hub.getManager(user('alice')).connect(transport, { heartbeatMs: 1, sendWelcome: false });
  return transport;
}

function completed(events: readonly ChatEvent[]): ChatEvent<'agent_completed'>[] {
  return events.filter((e): e is ChatEvent<'agent_completed'> => e.type === 'agent_completed');
}

describe('one run is bounded (docs/protocol.md#8-joining-mid-run)', () => {
  it('past maxRunEvents the emitter throws and the run ends with run_too_large', async () => {
    const hub = hubs.make({ limits: { maxRunEvents: 5 } });
    const transport = await connected(hub);
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    for (let i = 1; i <= 3; i++) await emitter.delta(`w${i} `);
    expect(() => emitter.delta('w4 ')).toThrow(RunTooLargeError);
    expect(await emitter.finished).toMatchObject({
      status: 'error',
      error: { code: 'run_too_large' },
    });
    expect(emitter.signal.aborted).toBe(true);
    expect(() => emitter.delta('late')).toThrow(RunStateError);
    await flush();
    // agent_started, three deltas and the terminal: maxRunEvents exactly.
    expect(transport.events.map((e) => e.type)).toEqual([
      'agent_started',
      'agent_response_delta',
      'agent_response_delta',
      'agent_response_delta',
      'agent_completed',
    ]);
    expect(completed(transport.events)).toHaveLength(1);
    expect(hub.stats().activeRuns).toBe(0);
    expect((await hub.engine.position('alice')).activeRuns).toEqual([]);
  });

  it('past maxRunBytes the same, counting the UTF-8 bytes of each event', async () => {
    const hub = hubs.make({ limits: { maxRunBytes: 4000 } });
    const transport = await connected(hub);
    const emitter = await hub.getManager(user('alice')).startRun({ agent: 'm', input: '' });
    let refused: unknown;
    for (let i = 0; i < 50 && refused === undefined; i++) {
      try {
        await emitter.delta('é'.repeat(100));
      } catch (error) {
        refused = error;
      }
    }
    expect(refused).toBeInstanceOf(RunTooLargeError);
    expect(refused).toMatchObject({ code: 'WS_RUN_TOO_LARGE', bound: 'maxRunBytes', limit: 4000 });
    await emitter.finished;
    await flush();
    const bytes = transport.sent
      .slice(0, -1)
      .reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    expect(bytes).toBeLessThanOrEqual(4000);
    expect(completed(transport.events)[0]?.payload).toMatchObject({
      status: 'error',
      error: { code: 'run_too_large' },
    });
  });

  it('an agent that keeps going past the bound is stopped; the run ends once', async () => {
    const hub = hubs.make({
      limits: { maxRunEvents: 10 },
      agents: [
        agent('endless', async ({ emitter }) => {
          for (let i = 0; ; i++) await emitter.delta(`w${i} `);
        }),
      ],
    });
    const transport = await connected(hub);
    await hub.getManager(user('alice')).chat({ text: 'go' });
    for (let i = 0; i < 50 && completed(transport.events).length === 0; i++) await flush();
    expect(completed(transport.events)).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          status: 'error',
          error: expect.objectContaining({ code: 'run_too_large' }),
        }) as unknown,
      }),
    ]);
    // user_message is the server's, not the run's: agent_started .. agent_completed is 10 events.
    expect(transport.events.filter((e) => e.type !== 'user_message')).toHaveLength(10);
  });
});
