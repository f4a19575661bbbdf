/**
 * Server memory while a client that stopped reading (a real paused TCP socket) is sent long
 * runs: the endpoint buffers at most `outboundLimitBytes` for it, closes it with 4000, and keeps
 * nothing more of the runs than the stream's retention (a run in flight is kept whole, up to
 * `maxRunBytes`: docs/protocol.md#8-joining-mid-run) — measured in the process that hosts the
 * endpoint (the paused client holds nothing: its socket is not read), not only seen as a 4000.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createUserContext } from '@app/ws-core';
import { describe, expect, it } from 'vitest';
import { eventually, metricValue, TestClient, useTestServer } from '../test/harness.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const start = useTestServer();

/** The scripted agent's `flood` deltas are 60 000 characters (about 60 KB of event JSON). */
const DELTA_BYTES = 60_000;
const EVENTS = 6000;
/** One run stays under the default `maxRunBytes` (8 MiB): the events come in several runs. */
const EVENTS_PER_RUN = 120;
const RUNS = EVENTS / EVENTS_PER_RUN;
const RETAINED_EVENTS = 50;
const MIB = 1024 * 1024;
/**
 * What the server may hold on to: the outbound limit, the retained events (a run in flight
 * whole, about 7 MiB) and slack for the rest of the process. Measured: 3 to 10 MiB held after
 * the runs; at the peak 40 to 129 MiB of heap (garbage V8 had not collected yet, which depends
 * on when it runs on a loaded machine) and 24 to 70 MiB of RSS; a server that buffered the whole
 * run for the paused socket holds about 300 MiB, above this bound (and the run is over twice it).
 */
const RETAINED_BOUND = 48 * MIB;
const PEAK_BOUND = 160 * MIB;

/** Memory this process holds: the V8 heap in use plus buffers outside it, and the RSS. */
function memory(): { held: number; rss: number } {
  const usage = process.memoryUsage();
  return { held: usage.heapUsed + usage.external, rss: usage.rss };
}

function settled(): { held: number; rss: number } {
  collectGarbage();
  collectGarbage();
  return memory();
}

describe('a paused reader and a long run', () => {
  it('costs the server at most its outbound limit and the retention, however long the run', async () => {
    const s = await start({
      hubOptions: {
        retention: { maxEvents: RETAINED_EVENTS },
        limits: { outboundLimitBytes: MIB },
        stallTimeoutMs: 600_000,
      },
    });
    const reader = await TestClient.as(s, 'alice');
    const manager = s.hub.getManager(createUserContext({ userId: 'alice' }));
    /** Each run's events: user_message, agent_started, the deltas, agent_completed. */
    const runsEnded = async (runs: number): Promise<boolean> =>
      (await s.hub.engine.position('alice')).latestSeq >= runs * (EVENTS_PER_RUN + 3) &&
      s.hub.stats().activeRuns === 0;

    const before = settled();
    let peak = before;
    const sampler = setInterval(() => {
      const now = memory();
      peak = { held: Math.max(peak.held, now.held), rss: Math.max(peak.rss, now.rss) };
    }, 20);
    try {
      reader.send({ type: 'chat', id: 'flood', text: `flood ${EVENTS_PER_RUN}` });
      reader.rawSocket.pause();
      for (let run = 1; run <= RUNS; run++) {
        if (run > 1) await manager.chat({ text: `flood ${EVENTS_PER_RUN}` });
        while (!(await runsEnded(run))) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      clearInterval(sampler);
    }
    const after = settled();

    const produced = EVENTS * DELTA_BYTES;
    const peakHeld = peak.held - before.held;
    const peakRss = peak.rss - before.rss;
    const retained = after.held - before.held;
    console.info(
      `paused reader, ${Math.round(produced / MIB)} MiB of events: peak held +${(peakHeld / MIB).toFixed(1)} MiB, ` +
        `peak RSS +${(peakRss / MIB).toFixed(1)} MiB, retained after GC +${(retained / MIB).toFixed(1)} MiB`,
    );

    expect(produced).toBeGreaterThan(2 * PEAK_BOUND);
    expect(retained).toBeLessThan(RETAINED_BOUND);
    expect(peakHeld).toBeLessThan(PEAK_BOUND);
    expect(peakRss).toBeLessThan(PEAK_BOUND);

    await eventually(() => s.routes.connectionCount === 0, 60_000);
    expect(await metricValue(s.registry, 'chat_ws_closes_total', { code: '4000' })).toBe(1);
    expect(s.hub.stats().connections).toBe(0);
    reader.rawSocket.resume();
    expect([4000, 1006]).toContain((await reader.closed).code);
  }, 300_000);
});
