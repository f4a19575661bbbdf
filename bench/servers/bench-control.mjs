/**
 * What the three bench servers share: the event text (~300-byte frames, an emit timestamp at
 * its start), the emission loops, and the HTTP control endpoints `/bench/*` that the
 * orchestrator drives. Each server supplies an adapter that knows how its stack sends an event
 * to every connection of a user; the loops and the timing are the same for all of them, so the
 * figures differ only by what the stacks do.
 *
 * Adapter: {
 *   begin(userIds): Promise<Handle[]>   one handle per user (ours: a run's emitter)
 *   emit(handle, text): Promise|void    sends one event to all of that user's connections
 *   end(handles): Promise<void>         (ours: completes the runs)
 *   stats(): object                     connection counts etc.
 * }
 */
import { now, sleep, yieldNow } from '../lib/clock.mjs';

/**
 * Length of `payload.text`: with ours' envelope (type, seq, 24-char runId and threadId, ts) the
 * frame is about 300 bytes; the peers send the same envelope.
 */
export const TEXT_LENGTH = 136;
const PADDING = 'x'.repeat(TEXT_LENGTH);

/** `t=<emit time ms>;xxxx…`, exactly TEXT_LENGTH characters. */
export function eventText(emittedAt = now()) {
  const head = `t=${emittedAt.toFixed(3)};`;
  return head + PADDING.slice(head.length);
}

/** Upper bound of events per user in one burst: ~300 B each stays far below a 1 MiB outbound bound. */
export const MAX_BURST_EVENTS_PER_USER = 2000;

async function burst(adapter, handles, eventsPerUser) {
  for (let round = 0; round < eventsPerUser; round++) {
    let pending;
    for (let i = 0; i < handles.length; i++) {
      const result = adapter.emit(handles[i], eventText());
      if (result !== undefined) (pending ??= []).push(result);
    }
    if (pending !== undefined) await Promise.all(pending);
    // One macrotask per round for every stack: socket writes and reads get their turn.
    await yieldNow();
  }
  return eventsPerUser;
}

async function paced(adapter, handles, ratePerSecond, durationMs) {
  const start = now();
  const roundsPerMs = ratePerSecond / handles.length / 1000;
  const pending = new Set();
  let rounds = 0;
  const deadline = start + durationMs;
  while (now() < deadline) {
    const due = Math.floor((now() - start) * roundsPerMs) - rounds;
    // Bounded catch-up: a stalled loop does not turn into a burst.
    for (let r = 0; r < Math.min(due, 20); r++) {
      for (let i = 0; i < handles.length; i++) {
        const result = adapter.emit(handles[i], eventText());
        if (result !== undefined) {
          pending.add(result);
          result.finally(() => pending.delete(result));
        }
      }
      rounds++;
    }
    await sleep(1);
  }
  await Promise.all(pending);
  return rounds;
}

/**
 * Runs one emission: `rate` 0 = a burst of `eventsPerUser` rounds as fast as the stack goes;
 * otherwise `rate` events per second in total for `durationMs`, whole rounds over all users.
 * @returns {{eventsPerUser: number, users: number, startedAt: number, endedAt: number}}
 */
/** Handles kept open between emissions (`keep`), by key: runs in flight for the late-join scenario. */
const kept = new Map();

export async function emitEvents(
  adapter,
  { users, eventsPerUser = 0, rate = 0, durationMs = 0, keep = undefined },
) {
  const handles = (keep !== undefined ? kept.get(keep) : undefined) ?? (await adapter.begin(users));
  const startedAt = now();
  const rounds =
    rate > 0
      ? await paced(adapter, handles, rate, durationMs)
      : await burst(adapter, handles, Math.min(eventsPerUser, MAX_BURST_EVENTS_PER_USER));
  const endedAt = now();
  if (keep !== undefined) kept.set(keep, handles);
  else await adapter.end(handles);
  return { eventsPerUser: rounds, users: users.length, startedAt, endedAt };
}

/** Ends the runs kept under `keep` (see {@link emitEvents}). */
async function endKept(adapter, { keep }) {
  const handles = kept.get(keep);
  kept.delete(keep);
  if (handles !== undefined) await adapter.end(handles);
  return { ended: handles?.length ?? 0 };
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > 8 << 20) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

function reply(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Memory after a full collection (the server runs with --expose-gc). */
export function measureMemory() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const usage = process.memoryUsage();
  return { ...usage, gcExposed: typeof globalThis.gc === 'function' };
}

/**
 * The control endpoints, for `server.on('request', …)` (or as a fallback handler):
 * `POST /bench/emit` (`keep`: leave the runs open under that key, or continue them), `POST
 * /bench/end` (ends the kept runs), `GET /bench/memory`, `GET /bench/stats`. Returns false for
 * other paths.
 */
export function createControlHandler(adapter, info) {
  return async function handle(request, response) {
    const path = (request.url ?? '').split('?')[0];
    try {
      if (request.method === 'POST' && path === '/bench/emit') {
        const body = await readBody(request);
        reply(response, 200, await emitEvents(adapter, body));
      } else if (request.method === 'POST' && path === '/bench/end') {
        reply(response, 200, await endKept(adapter, await readBody(request)));
      } else if (request.method === 'GET' && path === '/bench/memory') {
        reply(response, 200, measureMemory());
      } else if (request.method === 'GET' && path === '/bench/stats') {
        reply(response, 200, { ...info, ...(await adapter.stats()) });
      } else {
        return false;
      }
    } catch (error) {
      reply(response, 500, {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
    return true;
  };
}

/**
 * Listens on 127.0.0.1 (port from BENCH_PORT, default any free one) and tells the parent
 * process over IPC. Exits when the parent goes away, so no server outlives a bench run.
 */
export function listenAndReport(server, kind) {
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address();
    process.send?.({ type: 'ready', kind, port, pid: process.pid });
  });
}

/** Same shape as ours' `agent_thinking` event, for the peers. */
export function peerEvent(state, text) {
  state.seq += 1;
  return {
    type: 'agent_thinking',
    seq: state.seq,
    runId: state.runId,
    threadId: state.threadId,
    ts: new Date().toISOString(),
    payload: { text },
  };
}

let idCounter = 0;
/** A 24-character id like ours' (`r_` + 22), cheap and unique within the process. */
export function peerId(prefix) {
  idCounter += 1;
  return prefix + String(idCounter).padStart(22, '0');
}

/**
 * A peer server's per-user stream state (`seq`, current run, thread) — the little the peers keep
 * so their events carry the same fields as ours.
 */
export function createPeerStreams() {
  /** @type {Map<string, {seq: number, runId: string, threadId: string}>} */
  const streams = new Map();
  return {
    /** Starts a run for each user; returns each user's state (created on first use). */
    startRuns(userIds) {
      return userIds.map((userId) => {
        let state = streams.get(userId);
        if (!state) streams.set(userId, (state = { seq: 0, runId: '', threadId: peerId('t_') }));
        state.runId = peerId('r_');
        return { userId, state };
      });
    },
    /** The user's state (created on first use), for runs answered to chats. */
    stateOf(userId) {
      let state = streams.get(userId);
      if (!state) streams.set(userId, (state = { seq: 0, runId: '', threadId: peerId('t_') }));
      return state;
    },
    /** The user's latest seq (0 before any event). */
    seqOf(userId) {
      return streams.get(userId)?.seq ?? 0;
    },
  };
}
