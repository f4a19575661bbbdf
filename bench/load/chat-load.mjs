/**
 * Chat clients in a load process (commands of client-worker.mjs), for whole runs and token
 * streams: each client is one user's socket that sends `chat` and follows its runs.
 *
 * - `chatConnect`: opens clients (kinds `ours` — the chat server's `/ws`, subprotocol `chat.v1`
 *   and `Authorization: Bearer` —, `ws`, `socketio`), ready at `welcome`.
 * - `chatPrime`: one chat per client, awaited (warms the path; the client keeps the thread the
 *   server made and names it in every later chat, like a user in one conversation).
 * - `chatOffer`: chats at a fixed rate for a duration, round-robin over the clients, at most
 *   `maxInFlight` runs per client (a chat due while a client has that many is skipped and
 *   counted); then waits for the runs sent to end (bounded). Measures chat sent →
 *   `agent_completed` received per run, and counts completions and `error` answers.
 * - `streamStart` / `streamWindow` / `streamStop`: one long `stream N at R` run per client
 *   (starts spread over `staggerMs`); the window records every `agent_response_delta`'s latency
 *   (receipt − the event's `ts`, the server's emit time, millisecond resolution) and the time to
 *   first token (chat sent → first delta); stop cancels the runs and waits for their end.
 *
 * ws kinds classify frames by their first bytes and read `ts` of a delta from the raw buffer
 * (the frames are JSON objects starting with `{"type":"…"`); only `ack`, `agent_completed`
 * and `error` are parsed. Socket.IO's client decodes every packet itself, part of that stack.
 */
import WebSocket from 'ws';
import { io as connectSocketIo } from 'socket.io-client';
import { now, sleep } from '../lib/clock.mjs';
import { createHistogram, pack, record } from '../lib/histogram.mjs';
import { signToken } from '../lib/jwt.mjs';

const DELTA = Buffer.from('{"type":"agent_response_delta"');
const PARSED = ['{"type":"ack"', '{"type":"agent_completed"', '{"type":"error"'].map((p) =>
  Buffer.from(p),
);
const TS = Buffer.from('"ts":"');
/** `2026-12-02T15:27:38.035Z` */
const ISO_LENGTH = 24;

/** @type {Map<string, ChatGroup>} */
const groups = new Map();

class ChatGroup {
  constructor() {
    /** @type {ChatClient[]} */
    this.clients = [];
    this.step = 0;
    this.resetCounts();
  }

  resetCounts() {
    this.completed = 0;
    this.errors = {};
    this.lastCompletion = 0;
    this.runHistogram = createHistogram();
    this.recording = false;
    this.deltaHistogram = createHistogram();
    this.deltas = 0;
  }
}

function groupOf(name) {
  let group = groups.get(name);
  if (!group) groups.set(name, (group = new ChatGroup()));
  return group;
}

class ChatClient {
  constructor(userId, group) {
    this.userId = userId;
    this.group = group;
    this.socket = undefined;
    this.kind = '';
    this.closed = false;
    this.threadId = undefined;
    this.nextId = 0;
    /** chat id → {sentAt, step} until its ack (or error) */
    this.pending = new Map();
    /** runId → {sentAt, step} until its agent_completed */
    this.runs = new Map();
    this.inFlight = 0;
    /** the stream run of the token-stream scenario */
    this.stream = undefined;
  }

  send(message) {
    if (this.closed) return;
    if (this.kind === 'socketio') this.socket.emit(message.type, message);
    else this.socket.send(JSON.stringify(message));
  }

  /** Sends a chat; resolves nothing, the answers arrive through onFrame. */
  chat(text) {
    const id = `c${++this.nextId}`;
    this.pending.set(id, { sentAt: now(), step: this.group.step });
    this.inFlight++;
    this.send({ type: 'chat', id, text, ...(this.threadId ? { threadId: this.threadId } : {}) });
    return id;
  }
}

function onDelta(client, emittedAt) {
  const t = now();
  const group = client.group;
  const stream = client.stream;
  if (stream && stream.firstDelta === 0) stream.firstDelta = t;
  if (group.recording) {
    group.deltas++;
    record(group.deltaHistogram, t - emittedAt);
  }
}

function onFrame(client, frame) {
  const group = client.group;
  if (frame.type === 'ack') {
    const sent = client.pending.get(frame.ref);
    if (!sent) return;
    client.pending.delete(frame.ref);
    client.runs.set(frame.runId, sent);
    client.threadId ??= frame.threadId;
    if (client.stream && client.stream.id === frame.ref) client.stream.runId = frame.runId;
  } else if (frame.type === 'agent_completed') {
    if (client.stream && client.stream.runId === frame.runId) client.stream.done = true;
    const sent = client.runs.get(frame.runId);
    if (!sent) return;
    client.runs.delete(frame.runId);
    client.inFlight--;
    if (sent.step !== group.step) return;
    const t = now();
    group.completed++;
    group.lastCompletion = t;
    if (frame.payload?.status !== 'success' && frame.payload?.status !== 'cancelled') {
      const key = `run ${frame.payload?.status}`;
      group.errors[key] = (group.errors[key] ?? 0) + 1;
    }
    record(group.runHistogram, t - sent.sentAt);
  } else if (frame.type === 'error') {
    const sent = frame.ref === undefined ? undefined : client.pending.get(frame.ref);
    const key = String(frame.code ?? 'error');
    if (sent) {
      client.pending.delete(frame.ref);
      client.inFlight--;
      if (client.stream && client.stream.id === frame.ref) {
        client.stream.error = key;
        client.stream.done = true;
      }
      if (sent.step !== group.step) return;
    }
    group.errors[key] = (group.errors[key] ?? 0) + 1;
  }
}

function startsWith(data, prefix) {
  return (
    data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0
  );
}

function onWsMessage(client, data) {
  if (startsWith(data, DELTA)) {
    const i = data.indexOf(TS);
    onDelta(
      client,
      i < 0 ? NaN : Date.parse(data.toString('latin1', i + TS.length, i + TS.length + ISO_LENGTH)),
    );
  } else if (PARSED.some((prefix) => startsWith(data, prefix))) {
    onFrame(client, JSON.parse(data.toString('utf8')));
  }
}

function onSocketIoFrame(client, frame) {
  if (frame.type === 'agent_response_delta') onDelta(client, Date.parse(frame.ts));
  else onFrame(client, frame);
}

function closedUnexpectedly(client, reason) {
  if (client.closed) return;
  client.closed = true;
  const key = `closed ${reason}`;
  client.group.errors[key] = (client.group.errors[key] ?? 0) + 1;
}

function open(client, kind, url, token, timeoutMs) {
  client.kind = kind;
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => fail(new Error('no welcome in time')), timeoutMs);
    const welcomed = () => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      resolve();
    };
    function fail(error) {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      client.closed = true;
      if (kind === 'socketio') client.socket.disconnect();
      else client.socket.terminate();
      reject(error);
    }
    if (kind === 'socketio') {
      const socket = connectSocketIo(url, {
        transports: ['websocket'],
        auth: { token },
        reconnection: false,
        forceNew: true,
        timeout: timeoutMs,
      });
      client.socket = socket;
      socket.on('welcome', welcomed);
      socket.on('frame', (frame) => onSocketIoFrame(client, frame));
      socket.on('connect_error', (error) => fail(error));
      socket.on('disconnect', (reason) => {
        fail(new Error(`disconnected (${reason}) before welcome`));
        closedUnexpectedly(client, reason);
      });
      return;
    }
    const socket = new WebSocket(url, kind === 'ours' ? ['chat.v1'] : [], {
      headers: { Authorization: `Bearer ${token}` },
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    client.socket = socket;
    socket.on('message', (data) => {
      if (ready) onWsMessage(client, data);
      else if (JSON.parse(data.toString('utf8')).type === 'welcome') welcomed();
    });
    socket.on('unexpected-response', (_request, response) =>
      fail(new Error(`HTTP ${response.statusCode}`)),
    );
    socket.on('error', (error) => fail(error));
    socket.on('close', (code) => {
      fail(new Error(`closed ${code} before welcome`));
      closedUnexpectedly(client, code);
    });
  });
}

async function chatConnect({
  kind,
  url,
  specs,
  concurrency = 32,
  timeoutMs = 30_000,
  secret,
  group,
}) {
  const target = groupOf(group);
  const errors = {};
  let connected = 0;
  let next = 0;
  const lane = async () => {
    while (next < specs.length) {
      const spec = specs[next++];
      const client = new ChatClient(spec.userId, target);
      try {
        await open(client, kind, url, signToken(secret, spec.userId), timeoutMs);
        target.clients.push(client);
        connected++;
      } catch (error) {
        const key = String(error?.message ?? error).slice(0, 120);
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, specs.length)) }, lane));
  return { connected, failed: specs.length - connected, errors };
}

async function waitUntil(done, timeoutMs, intervalMs = 5) {
  const deadline = now() + timeoutMs;
  while (!done() && now() < deadline) await sleep(intervalMs);
  return done();
}

async function chatPrime({ group, text, timeoutMs = 30_000 }) {
  const target = groupOf(group);
  target.step++;
  target.resetCounts();
  const clients = target.clients.filter((client) => !client.closed);
  for (const client of clients) client.chat(text);
  const complete = await waitUntil(() => clients.every((c) => c.inFlight === 0), timeoutMs);
  return { clients: clients.length, completed: target.completed, errors: target.errors, complete };
}

async function chatOffer({ group, rate, durationMs, text, maxInFlight, drainMs }) {
  const target = groupOf(group);
  target.step++;
  target.resetCounts();
  const clients = target.clients.filter((client) => !client.closed);
  const perMs = rate / 1000;
  const start = now();
  let offered = 0;
  let sent = 0;
  let skipped = 0;
  let next = 0;
  const step = target.step;
  const outstanding = () => {
    let n = 0;
    for (const client of clients) {
      for (const entry of client.pending.values()) if (entry.step === step) n++;
      for (const entry of client.runs.values()) if (entry.step === step) n++;
    }
    return n;
  };
  if (clients.length > 0) {
    while (now() - start < durationMs) {
      const due = Math.floor((now() - start) * perMs) - offered;
      // Bounded catch-up: a stalled loop sends at most a second's worth at once.
      for (let k = 0; k < Math.min(due, Math.max(1, rate)); k++) {
        const client = clients[next++ % clients.length];
        offered++;
        if (client.closed || client.inFlight >= maxInFlight) skipped++;
        else {
          client.chat(text);
          sent++;
        }
      }
      await sleep(1);
    }
  }
  const offerEnd = now();
  await waitUntil(() => outstanding() === 0, drainMs, 10);
  return {
    offered,
    sent,
    skipped,
    completed: target.completed,
    unfinished: outstanding(),
    errors: target.errors,
    startedAt: start,
    offerEnd,
    lastCompletion: target.lastCompletion,
    histogram: pack(target.runHistogram),
  };
}

async function streamStart({ group, count, text, staggerMs }) {
  const target = groupOf(group);
  target.step++;
  target.resetCounts();
  const clients = target.clients.filter((client) => !client.closed).slice(0, count);
  await Promise.all(
    clients.map(
      (client, i) =>
        new Promise((resolve) =>
          setTimeout(
            () => {
              const id = client.chat(text);
              client.stream = { id, sentAt: now(), firstDelta: 0, runId: undefined, done: false };
              resolve();
            },
            clients.length > 1 ? (i * staggerMs) / clients.length : 0,
          ),
        ),
    ),
  );
  return { started: clients.length };
}

async function streamWindow({ group, windowMs }) {
  const target = groupOf(group);
  target.deltaHistogram = createHistogram();
  target.deltas = 0;
  target.recording = true;
  const start = now();
  await sleep(windowMs);
  target.recording = false;
  const seconds = (now() - start) / 1000;
  const streams = target.clients.filter((client) => client.stream !== undefined);
  return {
    streams: streams.length,
    deltas: target.deltas,
    seconds,
    withDelta: streams.filter((client) => client.stream.firstDelta > 0).length,
    ttftMs: streams
      .filter((client) => client.stream.firstDelta > 0)
      .map((client) => client.stream.firstDelta - client.stream.sentAt),
    histogram: pack(target.deltaHistogram),
    errors: target.errors,
  };
}

async function streamStop({ group, timeoutMs = 15_000 }) {
  const target = groupOf(group);
  const streams = target.clients.filter((client) => client.stream !== undefined);
  const cancelOne = (client) => {
    if (client.stream.done || client.stream.cancelled || client.stream.runId === undefined) return;
    client.stream.cancelled = true;
    client.send({ type: 'cancel', id: `x${++client.nextId}`, runId: client.stream.runId });
  };
  // A run whose ack is still on its way is cancelled as soon as its id is known.
  const complete = await waitUntil(
    () => {
      for (const client of streams) if (!client.closed) cancelOne(client);
      return streams.every((client) => client.closed || client.stream.done);
    },
    timeoutMs,
    20,
  );
  const unfinished = streams.filter((client) => !client.closed && !client.stream.done).length;
  for (const client of streams) client.stream = undefined;
  return { stopped: streams.length, complete, unfinished };
}

async function chatClose({ group, timeoutMs = 10_000 }) {
  const names = group === undefined ? [...groups.keys()] : [group];
  let closed = 0;
  for (const name of names) {
    const target = groups.get(name);
    if (!target) continue;
    groups.delete(name);
    await Promise.all(
      target.clients.map(async (client) => {
        client.closed = true;
        closed++;
        if (client.kind === 'socketio') return client.socket.disconnect();
        if (client.socket.readyState === WebSocket.CLOSED) return;
        const gone = new Promise((resolve) => client.socket.once('close', resolve));
        client.socket.close(1000);
        if ((await Promise.race([gone.then(() => 'closed'), sleep(timeoutMs)])) !== 'closed')
          client.socket.terminate();
      }),
    );
  }
  return { closed };
}

/** The commands this module adds to the load process. */
export const chatHandlers = {
  chatConnect,
  chatPrime,
  chatOffer,
  streamStart,
  streamWindow,
  streamStop,
  chatClose,
};
