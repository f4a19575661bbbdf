/**
 * Fan-out benchmark (not a test). Events for 100 users × 10 fake connections go through the
 * real hub — emitter order and size checks, the in-memory stream (seq, retention of 1000
 * events per user), per-connection delivery — against a baseline that only JSON.stringifies
 * the same frames (one fresh frame object per event) and calls the same fake `send` on the
 * same connections. Both await once per step of one event per user.
 *
 * Rounds alternate ws-core / baseline; each adjacent pair gives a ratio (pairs share the
 * machine's momentary load), and the median ratio is reported, in wall time and in CPU time
 * of this process (steadier on a shared machine).
 *
 *   npm run bench -w @app/ws-core      (env: USERS=100 CONNECTIONS=10 EVENTS=100 ROUNDS=15)
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { configureLogging, withLogContext } from '@app/logging-ssot';
import {
  createUserContext,
  createWebSocketHub,
  type RunEmitter,
  type Transport,
} from '../src/index';

const USERS = Number(process.env.USERS ?? 100);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const EVENTS_PER_USER = Number(process.env.EVENTS ?? 100);
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const DELTA = 'The quick brown fox jumps over the lazy dog. ';

/** The fake socket both sides write to: counts frames and bytes. */
class CountingTransport implements Transport {
  frames = 0;
  bytes = 0;
  readonly bufferedAmount = 0;
  send(text: string): void {
    this.frames++;
    this.bytes += text.length;
  }
  close(): void {}
}

interface Sample {
  deliveries: number;
  wallSeconds: number;
  cpuSeconds: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(step: () => Promise<void>, delivered: () => number): Promise<Sample> {
  const before = delivered();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < EVENTS_PER_USER; i++) await step();
  const wallSeconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    deliveries: delivered() - before,
    wallSeconds,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

async function main(): Promise<void> {
  configureLogging({ level: 'warn' });
  const hub = createWebSocketHub({
    serverId: 'bench',
    stallTimeoutMs: 3_600_000,
    limits: { maxConnectionsPerUser: CONNECTIONS },
  });
  const transports: CountingTransport[][] = [];
  const emitters: RunEmitter[] = [];
  for (let u = 0; u < USERS; u++) {
    const manager = hub.getManager(createUserContext({ userId: `user-${u}` }));
    const own: CountingTransport[] = [];
    for (let c = 0; c < CONNECTIONS; c++) {
      const transport = new CountingTransport();
      // As in the server: connections are registered inside a log context.
      await withLogContext({ userId: manager.userId }, () =>
        manager.connect(transport, { heartbeatMs: 25_000, sendWelcome: false }),
      );
      own.push(transport);
    }
    transports.push(own);
    emitters.push(await manager.startRun({ agent: 'bench', input: 'go' }));
  }
  const delivered = (): number =>
    transports.reduce((sum, own) => sum + own.reduce((s, t) => s + t.frames, 0), 0);

  /** ws-core: one delta per user; the emitter's promises are awaited (the last per step). */
  const oursStep = async (): Promise<void> => {
    let last: Promise<void> | undefined;
    for (let u = 0; u < USERS; u++) last = emitters[u]!.delta(DELTA);
    await last;
  };

  /** Baseline: the same frames, built and JSON.stringified once per event, the same sends. */
  const seqs = new Array<number>(USERS).fill(0);
  const baselineStep = async (): Promise<void> => {
    const ts = new Date().toISOString();
    for (let u = 0; u < USERS; u++) {
      const emitter = emitters[u]!;
      const text = JSON.stringify({
        type: 'agent_response_delta',
        seq: ++seqs[u]!,
        runId: emitter.runId,
        threadId: emitter.threadId,
        ts,
        payload: { delta: DELTA },
      });
      const own = transports[u]!;
      for (let c = 0; c < own.length; c++) own[c]!.send(text);
    }
    await Promise.resolve();
  };

  for (let i = 0; i < 2; i++) {
    await measure(oursStep, delivered);
    await measure(baselineStep, delivered);
  }
  const ours: Sample[] = [];
  const base: Sample[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ours.push(await measure(oursStep, delivered));
    base.push(await measure(baselineStep, delivered));
  }
  const rate = (s: Sample, cpu: boolean): number =>
    s.deliveries / (cpu ? s.cpuSeconds : s.wallSeconds);
  const ratio = (cpu: boolean): number =>
    median(ours.map((o, i) => rate(o, cpu) / rate(base[i]!, cpu)));
  const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} M/s`;
  const row = (name: string, samples: Sample[]): string =>
    `${name.padEnd(9)} deliveries ${fmt(median(samples.map((s) => rate(s, false))))} wall, ` +
    `${fmt(median(samples.map((s) => rate(s, true))))} CPU   (events: ÷${CONNECTIONS})`;
  process.stdout.write(
    [
      `fan-out: ${USERS} users × ${CONNECTIONS} connections, ${EVENTS_PER_USER} events/user/round, ${ROUNDS} paired rounds, medians`,
      `node ${process.version}, ${cpus().length} CPUs`,
      row('ws-core', ours),
      row('baseline', base),
      `ratio     ${ratio(false).toFixed(2)}× baseline (wall), ${ratio(true).toFixed(2)}× (CPU)   target ≥ 0.70×`,
      '',
    ].join('\n'),
  );
  await hub.close();
}

void main();
