/**
 * What scenarios are written with: the stacks under test, a pool of load workers, and helpers
 * that spread clients over the workers and merge what they measured.
 */
import { randomBytes } from 'node:crypto';
import { merge, percentile, unpack, createHistogram } from './histogram.mjs';
import { control, startServer, startWorker } from './processes.mjs';

/** The stacks: server entry, client kind, WebSocket path. */
const STACKS = {
  ours: { label: 'ours', file: 'ours-server.mjs', client: 'ours', path: '/ws' },
  ws: { label: 'raw ws', file: 'raw-ws-server.mjs', client: 'ws', path: '/' },
  socketio: { label: 'Socket.IO', file: 'socketio-server.mjs', client: 'socketio', path: '' },
};

/** Environment every ours server gets: limits raised for load from one address. */
const OURS_LOAD_ENV = {
  LOG_LEVEL: 'info',
  WS_CONNECT_ATTEMPTS_PER_MINUTE: '100000000',
  WS_MAX_CONNECTIONS_PER_USER: '10',
  WS_RATE_PER_SECOND: '1000',
  WS_RATE_BURST: '2000',
};

export class Harness {
  /**
   * @param {{quick: boolean, reps: number, workers: number, log: (line: string) => void}} options
   */
  constructor(options) {
    this.quick = options.quick;
    this.reps = options.reps;
    this.workerCount = options.workers;
    this.log = options.log;
    this.secret = randomBytes(48).toString('base64url');
    this.workers = [];
    this.runTag = randomBytes(3).toString('hex');
    this.userCounter = 0;
  }

  async start() {
    this.workers = await Promise.all(
      Array.from({ length: this.workerCount }, (_, i) => startWorker(i)),
    );
  }

  async stop() {
    await Promise.all(
      this.workers.map((worker) => worker.call('exit', {}, 2000).catch(() => undefined)),
    );
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }

  /** Fresh user ids, never used before in this run (so no server has state for them). */
  users(count) {
    const ids = [];
    for (let i = 0; i < count; i++) ids.push(`u${this.runTag}_${++this.userCounter}`);
    return ids;
  }

  /** Starts the server of `stack` with `env` added. */
  async server(stack, env = {}) {
    const spec = STACKS[stack];
    const server = await startServer(
      spec.file,
      stack === 'ours'
        ? { ...OURS_LOAD_ENV, BENCH_JWT_SECRET: this.secret, ...env }
        : { BENCH_JWT_SECRET: this.secret, ...env },
    );
    const wsUrl =
      spec.client === 'socketio' ? server.url : server.url.replace('http', 'ws') + spec.path;
    return { ...server, stack, client: spec.client, wsUrl };
  }

  /**
   * Starts several servers at once: `list` of [stack, env]. If one fails, the others are stopped.
   */
  async servers(list) {
    const settled = await Promise.allSettled(list.map(([stack, env]) => this.server(stack, env)));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(settled.filter((s) => s.status === 'fulfilled').map((s) => s.value.stop()));
      throw failed.reason;
    }
    return settled.map((s) => s.value);
  }

  /**
   * Opens clients: `specs` [{userId, query?, server?}] spread round-robin over the workers,
   * `concurrency` handshakes in flight per worker. A spec's `server` overrides `server`.
   */
  async connect(server, specs, { concurrency = 64, timeoutMs = 30_000, group = 'default' } = {}) {
    const perWorker = this.workers.map(() => new Map());
    specs.forEach((spec, i) => {
      const target = spec.server ?? server;
      const groups = perWorker[i % this.workers.length];
      if (!groups.has(target)) groups.set(target, []);
      groups.get(target).push({ userId: spec.userId, query: spec.query });
    });
    const results = await Promise.all(
      this.workers.map(async (worker, w) => {
        const parts = [];
        for (const [target, part] of perWorker[w]) {
          parts.push(
            worker.call(
              'connect',
              {
                kind: target.client,
                url: target.wsUrl,
                specs: part,
                concurrency,
                timeoutMs,
                secret: this.secret,
                group,
              },
              timeoutMs + 60_000,
            ),
          );
        }
        return Promise.all(parts);
      }),
    );
    const flat = results.flat();
    const errors = {};
    for (const r of flat)
      for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
    return {
      connected: flat.reduce((n, r) => n + r.connected, 0),
      failed: flat.reduce((n, r) => n + r.failed, 0),
      errors,
      startedAt: Math.min(...flat.map((r) => r.startedAt)),
      endedAt: Math.max(...flat.map((r) => r.endedAt)),
    };
  }

  /** Sends `cmd` to every worker at once. */
  all(cmd, args = {}, timeoutMs = 60_000) {
    return Promise.all(this.workers.map((worker) => worker.call(cmd, args, timeoutMs)));
  }

  async closeClients() {
    await this.all('close', { timeoutMs: 10_000 }, 30_000);
  }

  /**
   * One emission on `server` (`/bench/emit`), then waits for every client of `group` to receive it.
   * @returns delivered events, delivered/s (from the emission's start to the last receipt),
   *   the merged latency histogram's p50/p99, loss and unexpected closes.
   */
  async emitAndReceive(
    server,
    body,
    { recordLatency = false, timeoutMs = 60_000, group = 'default' } = {},
  ) {
    // Every measurement starts after a full GC in the emitting server and the load processes.
    await control(server.url, '/bench/memory');
    await this.all('reset', { record: recordLatency, group, gc: true });
    const emitted = await control(server.url, '/bench/emit', body, timeoutMs);
    const replies = await this.all(
      'await',
      { expectedPerClient: emitted.eventsPerUser, timeoutMs, group },
      timeoutMs + 10_000,
    );
    const histogram = createHistogram();
    let received = 0;
    let expected = 0;
    let lastRecv = 0;
    const closes = {};
    let complete = true;
    for (const reply of replies) {
      merge(histogram, unpack(reply.histogram));
      received += reply.received;
      expected += reply.expected;
      lastRecv = Math.max(lastRecv, reply.lastRecv);
      complete &&= reply.complete;
      for (const [code, n] of Object.entries(reply.unexpectedCloses))
        closes[code] = (closes[code] ?? 0) + n;
    }
    const seconds = (lastRecv - emitted.startedAt) / 1000;
    return {
      emitted,
      received,
      expected,
      complete,
      closes,
      deliveredPerSec: seconds > 0 ? received / seconds : undefined,
      emitSeconds: (emitted.endedAt - emitted.startedAt) / 1000,
      p50: percentile(histogram, 50),
      p99: percentile(histogram, 99),
      samples: histogram.count,
      negativeLatencies: histogram.negative,
    };
  }

  async memory(server) {
    return control(server.url, '/bench/memory');
  }

  async stats(server) {
    return control(server.url, '/bench/stats');
  }
}
