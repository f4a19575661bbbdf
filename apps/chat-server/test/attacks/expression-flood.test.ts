/**
 * Attack: one user sends the longest messages the protocol allows, shaped to make the demo
 * agent's expression finder slow (`1+1)))…`, `(((…1+1`, runs of dots and spaces). Another user's
 * `ping` must still be answered promptly (docs/security.md#busy-event-loop).
 *
 * The server runs in its own process, so the test measures the server and not itself. Bounds are
 * wide margins that a loaded machine does not reach (the targets, 200 ms for a ping, are measured
 * by the benchmark): the quadratic finder cost 1 to 8 s of CPU per message and held every ping
 * sent meanwhile for as long.
 */
import { LIMITS } from '@app/ws-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, type Frame } from '../support/chat-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { devLogin } from '../support/test-server.js';
import { worstMessages } from '../support/worst-messages.js';

/**
 * How much the median ping round trip may grow during the flood over the median just before it:
 * far above the target, far below a blocked loop, and measured against a baseline so that a
 * loaded machine (which slows every round trip) does not fail it.
 */
const MEDIAN_PING_GROWTH_BOUND_MS = 1000;
/** How long the baseline is measured. */
const BASELINE_MS = 1000;
/** Server CPU time per worst message. */
const CPU_PER_MESSAGE_BOUND_MS = 250;
/** As many runs as a user may have at once (`WS_MAX_RUNS_PER_USER`, 3). */
const WAVE = 3;

const messages = worstMessages();
let server: ServerProcess;

/** Starting a process (tsx, the embedded database) takes long on a loaded machine. */
const START_TIMEOUT_MS = 120_000;

beforeAll(async () => {
  server = await startServerProcess();
}, START_TIMEOUT_MS);

afterAll(async () => {
  await server.stop();
});

let nextChat = 0;

/** Sends a chat and resolves with its run's `agent_completed`. */
async function chatAndWait(client: ChatClient, text: string): Promise<Frame> {
  const id = `chat-${nextChat++}`;
  client.send({ type: 'chat', id, text });
  const ack = await client.waitFor((frame) => frame.type === 'ack' && frame.ref === id, id);
  return client.waitForType('agent_completed', String(ack.runId));
}

let nextPinger = 0;

/**
 * Pings every `intervalMs` until stopped; resolves with every round trip, in ms, once the last
 * ping's `pong` is in (pongs come in order, so every ping sent has been answered by then).
 */
function pingContinuously(
  client: ChatClient,
  intervalMs: number,
): { stop(): Promise<{ sent: number; roundTrips: number[] }> } {
  const prefix = `pinger${nextPinger++}-`;
  const sentAt = new Map<string, number>();
  const roundTrips: number[] = [];
  const onMessage = (data: Buffer): void => {
    const frame = JSON.parse(data.toString('utf8')) as { type: string; ref?: string };
    const start = frame.type === 'pong' && frame.ref ? sentAt.get(frame.ref) : undefined;
    if (start !== undefined) roundTrips.push(performance.now() - start);
  };
  client.socket.on('message', onMessage);
  let next = 0;
  const ping = (): string => {
    const id = `${prefix}${next++}`;
    sentAt.set(id, performance.now());
    client.send({ type: 'ping', id });
    return id;
  };
  const timer = setInterval(ping, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      const last = ping();
      await client.waitFor((frame) => frame.type === 'pong' && frame.ref === last, 'last pong');
      client.socket.off('message', onMessage);
      return { sent: next, roundTrips };
    },
  };
}

/** The server's CPU time so far, in ms, from its `/metrics` (prom-client's process metrics). */
async function serverCpuMs(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const seconds = /^process_cpu_seconds_total (\S+)$/m.exec(text)?.[1];
  if (seconds === undefined) throw new Error('process_cpu_seconds_total is missing from /metrics');
  return Number(seconds) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('attack: messages that make the expression finder slow', () => {
  it('the worst messages are all of the maximum length', () => {
    for (const text of messages) expect([...text]).toHaveLength(LIMITS.maxTextLength);
  });

  it("another user's pings are answered promptly while one user sends them", async () => {
    const attacker = await ChatClient.connect(server.wsUrl, await devLogin(server.url, 'attacker'));
    const victim = await ChatClient.connect(server.wsUrl, await devLogin(server.url, 'victim'));
    await victim.waitForType('welcome');
    // Warm up (JIT, the embedded database): what is measured is the steady state.
    for (const text of messages) await chatAndWait(attacker, text.slice(0, 200));

    const baselinePings = pingContinuously(victim, 20);
    await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
    const baseline = median((await baselinePings.stop()).roundTrips);

    const cpuBefore = await serverCpuMs();
    const pings = pingContinuously(victim, 20);
    for (let start = 0; start < messages.length; start += WAVE) {
      const wave = messages.slice(start, start + WAVE).map((text) => chatAndWait(attacker, text));
      for (const completed of await Promise.all(wave)) {
        expect(completed.payload).toMatchObject({ status: 'success' });
      }
    }
    const { sent, roundTrips } = await pings.stop();
    const cpuPerMessage = ((await serverCpuMs()) - cpuBefore) / messages.length;

    // Every ping sent during the flood was answered (how many depends on how long the flood took).
    expect(roundTrips).toHaveLength(sent);
    expect(median(roundTrips)).toBeLessThan(baseline + MEDIAN_PING_GROWTH_BOUND_MS);
    expect(cpuPerMessage).toBeLessThan(CPU_PER_MESSAGE_BOUND_MS);
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    await Promise.all([attacker.close(), victim.close()]);
  });

  it('still finds the expression inside such a message', async () => {
    const client = await ChatClient.connect(server.wsUrl, await devLogin(server.url, 'answers'));
    const completed = await chatAndWait(client, `1+1${')'.repeat(LIMITS.maxTextLength - 3)}`);
    expect(completed.payload).toMatchObject({ status: 'success', response: '1+1 = 2.' });
    await client.close();
  });
});
