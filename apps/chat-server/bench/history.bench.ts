/**
 * Conversation-history benchmark (not a test): runs per second of the demo agent's calculator
 * path ("what is 12*(3+4)?") through a real hub, with persistence off and on — PGlite on disk
 * (the embedded default) and PostgreSQL — in the same process, rounds alternating between the
 * setups, medians reported. Each user holds one connection and sends its runs one after the
 * other in one thread; USERS users run concurrently. With persistence on, every run writes its
 * user message and its final response (one transaction each) before the events go out.
 *
 *   node --import tsx apps/chat-server/bench/history.bench.ts
 *   options: USERS=20 RUNS=10 ROUNDS=5; DATABASE_URL (else postgres@127.0.0.1:5432; a
 *   chat_bench_<random> database is created and dropped)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { configureLogging, createLogger } from '@app/logging-ssot';
import {
  createUserContext,
  createWebSocketHub,
  type RunHooks,
  type Transport,
  type WebSocketHub,
} from '@app/ws-core';
import pg from 'pg';
import { createAssistantAgent } from '../src/agents/assistant-agent.js';
import { openHistory, type History } from '../src/storage/open-history.js';

const USERS = Number(process.env.USERS ?? 20);
const RUNS = Number(process.env.RUNS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const TEXT = 'what is 12*(3+4)?';

/** Resolves a run's waiter when its `agent_completed` frame arrives. */
class CompletionTransport implements Transport {
  readonly bufferedAmount = 0;
  readonly #waiters = new Map<string, () => void>();
  readonly #done = new Set<string>();

  send(text: string): void {
    if (!text.includes('"agent_completed"')) return;
    const { runId } = JSON.parse(text) as { runId: string };
    const wake = this.#waiters.get(runId);
    if (wake) wake();
    else this.#done.add(runId);
  }

  close(): void {}

  completed(runId: string): Promise<void> {
    if (this.#done.delete(runId)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.set(runId, resolve));
  }
}

interface Setup {
  name: string;
  hub: WebSocketHub;
  history?: History;
  round: number;
}

function makeHub(hooks?: RunHooks): WebSocketHub {
  return createWebSocketHub({
    serverId: 'bench',
    agents: [createAssistantAgent()],
    limits: { maxRunsPerUser: 3 },
    stallTimeoutMs: 60_000,
    ...(hooks ? { hooks } : {}),
  });
}

/** One round: USERS users × RUNS sequential runs; returns runs per second (wall). */
async function round(setup: Setup): Promise<{ runsPerSecond: number; meanMs: number }> {
  setup.round += 1;
  const users = await Promise.all(
    Array.from({ length: USERS }, async (_unused, u) => {
      const manager = setup.hub.getManager(
        createUserContext({ userId: `${setup.name}-r${setup.round}-u${u}` }),
      );
      const transport = new CompletionTransport();
      await manager.connect(transport, { heartbeatMs: 60_000, sendWelcome: false });
      return { manager, transport };
    }),
  );
  let totalMs = 0;
  const start = performance.now();
  await Promise.all(
    users.map(async ({ manager, transport }) => {
      let threadId: string | undefined;
      for (let r = 0; r < RUNS; r += 1) {
        const began = performance.now();
        const ack = await manager.chat({ text: TEXT, ...(threadId ? { threadId } : {}) });
        threadId = ack.threadId;
        await transport.completed(ack.runId);
        totalMs += performance.now() - began;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { runsPerSecond: (USERS * RUNS) / seconds, meanMs: totalMs / (USERS * RUNS) };
}

async function createBenchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const name = `chat_bench_${randomBytes(5).toString('hex')}`;
  const run = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  configureLogging({ level: 'warn' });
  const logger = createLogger('history-bench');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chat-bench-'));
  const postgres = await createBenchDatabase();
  const pglite = await openHistory({ dataDir, logger });
  const postgresHistory = await openHistory({
    dataDir: 'unused',
    databaseUrl: postgres.url,
    logger,
  });
  const setups: Setup[] = [
    { name: 'off', hub: makeHub(), round: 0 },
    { name: 'pglite', hub: makeHub(pglite.hooks), history: pglite, round: 0 },
    { name: 'postgres', hub: makeHub(postgresHistory.hooks), history: postgresHistory, round: 0 },
  ];
  const results = new Map<string, { runsPerSecond: number; meanMs: number }[]>();
  try {
    for (const setup of setups) await round(setup); // warm-up
    for (let r = 0; r < ROUNDS; r += 1) {
      // Rotating order, so no setup always runs right after another.
      for (let i = 0; i < setups.length; i += 1) {
        const setup = setups[(i + r) % setups.length]!;
        const list = results.get(setup.name) ?? [];
        list.push(await round(setup));
        results.set(setup.name, list);
      }
    }
  } finally {
    for (const setup of setups) await setup.hub.close();
    await pglite.close();
    await postgresHistory.close();
    await postgres.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const off = median((results.get('off') ?? []).map((s) => s.runsPerSecond));
  const lines = [
    `history: ${USERS} users × ${RUNS} sequential runs ("${TEXT}"), ${ROUNDS} rounds, medians, ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)}`,
    '| persistence | runs/s | mean run latency | vs off |',
    '|---|---|---|---|',
  ];
  for (const setup of setups) {
    const samples = results.get(setup.name) ?? [];
    const rate = median(samples.map((s) => s.runsPerSecond));
    const latency = median(samples.map((s) => s.meanMs));
    lines.push(
      `| ${setup.name} | ${rate.toFixed(0)} | ${latency.toFixed(1)} ms | ${((rate / off) * 100).toFixed(0)} % |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
