/**
 * Chaos: 50 SDK clients (`@app/ws-client` over `ws`) of 10 users run slow agents while the server
 * drops random users' connections, over and over. At the end every client has received every
 * event of its user's stream from where it started, exactly once, in order, identical to what
 * the server stored, and nothing of any other user.
 */
import { createChatClient, type ChatClient, type ResetInfo } from '@app/ws-client';
import type { ChatEvent, ResumedFrame, WelcomeFrame } from '@app/ws-protocol';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devLogin, startTestServer, type TestServer } from './support/test-server.js';

const USERS = 10;
const CLIENTS_PER_USER = 5;
const RUNS_PER_CLIENT = 3;
/** `slow 8` at 100 ms a "second": 0.8 s of `agent_thinking`, one per tick. */
const RUN_TEXT = 'slow 8';
const SLOW_TICK_MS = 100;
const DROP_ROUNDS = 8;
const DROP_EVERY_MS = 250;
const USERS_PER_DROP = 3;
/** Bound of each wait; the whole test stays far below 30 s. */
const WAIT_MS = 15_000;
/** `CHAOS_SEED=n` replays a failing run's choice of drops. */
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** One client and everything it observed. */
interface Observer {
  readonly userId: string;
  readonly index: number;
  readonly client: ChatClient;
  readonly events: ChatEvent[];
  readonly welcomes: WelcomeFrame[];
  readonly resumes: ResumedFrame[];
  readonly resets: ResetInfo[];
  readonly errors: string[];
  /** The runs this client started (from their `ack`). */
  readonly started: string[];
}

let test: TestServer;
const observers: Observer[] = [];

beforeAll(async () => {
  test = await startTestServer(
    {
      WS_HEARTBEAT_MS: '1000',
      WS_MAX_RUNS_PER_USER: String(CLIENTS_PER_USER * 2),
      WS_MAX_CONNECTIONS_PER_USER: String(CLIENTS_PER_USER * 4),
      WS_CONNECT_ATTEMPTS_PER_MINUTE: '100000',
      WS_RATE_PER_SECOND: '200',
      WS_RATE_BURST: '400',
    },
    { agents: { assistant: { slowTickMs: SLOW_TICK_MS } } },
  );
});

afterAll(async () => {
  for (const observer of observers) observer.client.close();
  await test?.server.close();
});

describe('chaos: 50 clients of 10 users, random drops during slow runs', () => {
  it('every client gets every event of its user exactly once, in order', async () => {
    const random = mulberry32(SEED);
    const userIds = Array.from({ length: USERS }, (_unused, index) => `chaos-${SEED}-${index}`);
    const tokens = new Map<string, string>();
    for (const userId of userIds) tokens.set(userId, await devLogin(test.url, userId));

    for (const userId of userIds) {
      for (let index = 0; index < CLIENTS_PER_USER; index++) {
        observers.push(observe(userId, index, tokens.get(userId) ?? ''));
      }
    }
    // Everyone is connected before the first run, so every client starts at seq 0.
    await waitUntil(() => observers.every((o) => o.welcomes.length > 0), 'every first welcome');

    let dropped = 0;
    const chaos = (async () => {
      for (let round = 0; round < DROP_ROUNDS; round++) {
        await sleep(DROP_EVERY_MS);
        for (const userId of pick(userIds, USERS_PER_DROP, random)) {
          dropped += await dropConnections(userId);
        }
      }
    })();
    await Promise.all([chaos, ...observers.map((observer) => runSequentially(observer))]);

    // Every client of a user sees every run of that user end.
    const runsByUser = new Map<string, Set<string>>();
    const ownerOfRun = new Map<string, string>();
    for (const observer of observers) {
      const runs = runsByUser.get(observer.userId) ?? new Set<string>();
      for (const runId of observer.started) {
        runs.add(runId);
        ownerOfRun.set(runId, observer.userId);
      }
      runsByUser.set(observer.userId, runs);
    }
    await waitUntil(
      () =>
        observers.every((observer) =>
          [...(runsByUser.get(observer.userId) ?? [])].every((runId) =>
            observer.events.some((e) => e.type === 'agent_completed' && e.runId === runId),
          ),
        ),
      "every client seeing the end of every one of its user's runs",
    );

    const context = `seed ${SEED}`;
    // The chaos happened: sockets were dropped, and clients came back by resuming.
    expect(dropped, context).toBeGreaterThanOrEqual(DROP_ROUNDS);
    const reconnected = observers.filter((o) => o.welcomes.length > 1);
    expect(reconnected.length, context).toBeGreaterThan(CLIENTS_PER_USER);
    expect(
      observers.flatMap((o) => o.resumes).filter((r) => r.complete).length,
      context,
    ).toBeGreaterThanOrEqual(reconnected.length);

    for (const userId of userIds) {
      // Ground truth: the user's stream as the server stored it.
      const stored = await test.server.hub.engine.readSince(userId, 0);
      expect(stored.complete, `${context}: ${userId}'s stream is fully retained`).toBe(true);
      const runs = runsByUser.get(userId) ?? new Set<string>();
      // One run per chat, though chats were re-sent after drops.
      expect(runs.size, `${context}: ${userId}'s runs`).toBe(CLIENTS_PER_USER * RUNS_PER_CLIENT);
      const storedStarts = stored.records.filter((r) => r.event.type === 'agent_started');
      expect(storedStarts.map((r) => r.event.runId).sort()).toEqual([...runs].sort());
      // Isolation in the store: only this user's runs.
      for (const record of stored.records) expect(ownerOfRun.get(record.event.runId)).toBe(userId);

      for (const observer of observers.filter((o) => o.userId === userId)) {
        const who = `${context}: ${userId} client ${observer.index}`;
        expect(observer.errors, who).toEqual([]);
        expect(observer.resets, who).toEqual([]);
        expect(
          observer.welcomes.every((w) => w.userId === userId),
          who,
        ).toBe(true);
        const start = observer.welcomes[0]?.seq ?? -1;
        expect(start, who).toBe(0);
        // Exactly once, in order, identical to the store: seq start+1 … latest, no gap, no repeat.
        const expected = stored.records.filter((r) => r.event.seq > start).map((r) => r.json);
        expect(
          observer.events.map((e) => e.seq),
          who,
        ).toEqual(expected.map((_json, index) => start + 1 + index));
        expect(
          observer.events.map((e) => JSON.stringify(e)),
          who,
        ).toEqual(expected);
        // Isolation on the wire: nothing of another user's runs.
        for (const event of observer.events) expect(ownerOfRun.get(event.runId), who).toBe(userId);
        // Each run, as this client saw it: started first, one terminal event, last.
        for (const runId of runs) {
          const types = observer.events
            .filter((e) => e.runId === runId && e.type !== 'user_message')
            .map((e) => e.type);
          expect(types[0], who).toBe('agent_started');
          expect(
            types.filter((type) => type === 'agent_completed'),
            who,
          ).toHaveLength(1);
          expect(types.at(-1), who).toBe('agent_completed');
        }
      }
    }
  });
});

function observe(userId: string, index: number, token: string): Observer {
  const client = createChatClient({
    url: `${test.wsUrl}/ws`,
    getToken: () => token,
    WebSocket,
    backoff: { baseMs: 20, capMs: 200 },
    requestTimeoutMs: WAIT_MS,
    connectTimeoutMs: 5000,
  });
  const observer: Observer = {
    userId,
    index,
    client,
    events: [],
    welcomes: [],
    resumes: [],
    resets: [],
    errors: [],
    started: [],
  };
  client.on('event', (event) => observer.events.push(event));
  client.on('welcome', (welcome) => observer.welcomes.push(welcome));
  client.on('resumed', (frame) => observer.resumes.push(frame));
  client.on('reset', (reset) => observer.resets.push(reset));
  client.on('error', (error) => observer.errors.push(`${error.code}: ${error.message}`));
  return observer;
}

/** Starts the client's runs one after the other, each once its `agent_completed` arrived. */
async function runSequentially(observer: Observer): Promise<void> {
  for (let run = 0; run < RUNS_PER_CLIENT; run++) {
    const { runId } = await observer.client.chat(RUN_TEXT);
    observer.started.push(runId);
    await waitUntil(
      () => observer.events.some((e) => e.type === 'agent_completed' && e.runId === runId),
      `${observer.userId} client ${observer.index}: the end of ${runId}`,
    );
  }
}

async function dropConnections(userId: string): Promise<number> {
  const response = await fetch(`${test.url}/api/v1/test/drop-connections`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { dropped: number }).dropped;
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (seed ${SEED})`);
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `count` distinct items of `items`, chosen with `random`. */
function pick<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) {
    chosen.push(...pool.splice(Math.floor(random() * pool.length), 1));
  }
  return chosen;
}

/** A small seeded PRNG, so a failing run can be replayed with its seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
