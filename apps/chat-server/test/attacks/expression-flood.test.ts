/**
 * Attack: one user sends the longest messages the protocol allows, shaped to make the demo
 * agent's expression finder slow (`1+1)))…`, `(((…1+1`, runs of dots and spaces). Another user's
 * `ping` must still be answered promptly (docs/security.md#busy-event-loop).
 *
 * The server runs in its own process, so the test measures the server and not itself. It checks
 * behaviour — every ping sent during the flood is answered, every message is answered — and one
 * bound that catches the quadratic finder: the server's CPU time per worst message (the
 * quadratic finder cost 1 to 8 s of CPU per message; a loaded machine slows wall time, not CPU
 * time). Latency — another user's ping p99 under 200 ms, `/health/live` under 100 ms — is the
 * `worst-messages` benchmark's (`npm run bench -- --only=worst-messages`), never a test's.
 */
import { LIMITS } from '@app/ws-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, type Frame } from '../support/chat-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { devLogin } from '../support/test-server.js';
import { worstMessages } from '../support/worst-messages.js';

/** Server CPU time per worst message: ~4× the linear finder's on a loaded machine, far below 1 s. */
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

describe('attack: messages that make the expression finder slow', () => {
  it('the worst messages are all of the maximum length', () => {
    for (const text of messages) expect([...text]).toHaveLength(LIMITS.maxTextLength);
  });

  it("another user's pings are all answered while one user sends them, at bounded CPU per message", async () => {
    const attacker = await ChatClient.connect(server.wsUrl, await devLogin(server.url, 'attacker'));
    const victim = await ChatClient.connect(server.wsUrl, await devLogin(server.url, 'victim'));
    await victim.waitForType('welcome');
    // Warm up (JIT, the embedded database): what is measured is the steady state.
    for (const text of messages) await chatAndWait(attacker, text.slice(0, 200));

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
