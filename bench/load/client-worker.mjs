/**
 * A load process: holds many client connections to one server and measures what they receive.
 * Forked by the orchestrator (never in a server's event loop) and driven over IPC, one command at
 * a time: connect, reset, await, awaitResumed, positions, close, exit, and the chat commands of
 * chat-load.mjs (whole runs, token streams). It exits with its parent.
 *
 * Client kinds: `ours` (ws client, subprotocol chat.v1 + Authorization header, ready at
 * `welcome`), `ws` (ws client + Authorization header, ready at the first frame), `socketio`
 * (socket.io-client, websocket transport, JWT in `auth`, ready at the `welcome` event).
 * Event frames carry `"text":"t=<emit ms>;…"`: ws kinds find it in the raw buffer without
 * parsing the JSON (the same cheap path for ours and raw ws); Socket.IO's client decodes every
 * packet itself, which is part of that stack.
 */
import { setImmediate } from 'node:timers';
import WebSocket from 'ws';
import { io as connectSocketIo } from 'socket.io-client';
import { now, sleep } from '../lib/clock.mjs';
import { createHistogram, pack, record } from '../lib/histogram.mjs';
import { signToken } from '../lib/jwt.mjs';
import { chatHandlers } from './chat-load.mjs';

const MARKER = Buffer.from('"text":"t=');
const MARKER_SKIP = MARKER.length;

/** @type {Client[]} */
let clients = [];
let closingAll = false;

/**
 * What one group of clients measured (a group = the clients of one variant; several groups can
 * be connected at once so that variants are measured interleaved).
 */
class GroupState {
  constructor() {
    this.recording = false;
    this.histogram = createHistogram();
    this.firstRecv = 0;
    this.lastRecv = 0;
    this.unexpectedCloses = {};
  }
}
/** @type {Map<string, GroupState>} */
const groups = new Map();
function groupState(name) {
  let state = groups.get(name);
  if (!state) groups.set(name, (state = new GroupState()));
  return state;
}
function inGroup(group) {
  return group === undefined ? clients : clients.filter((client) => client.group === group);
}

class Client {
  constructor(userId, group) {
    this.userId = userId;
    this.group = group;
    this.state = groupState(group);
    this.count = 0;
    this.welcomed = false;
    this.welcomeAt = 0;
    this.resumed = undefined;
    this.resumedAt = 0;
    this.epoch = undefined;
    this.seq = 0;
    this.closed = false;
    this.socket = undefined;
  }
}

function onEvent(state, emittedAt) {
  const t = now();
  if (state.firstRecv === 0) state.firstRecv = t;
  state.lastRecv = t;
  if (state.recording) record(state.histogram, t - emittedAt);
}

function onControl(client, frame, resolveReady) {
  if (frame.type === 'welcome' || (client.kind === 'ws' && !client.welcomed)) {
    client.welcomed = true;
    client.welcomeAt = now();
    client.epoch = frame.epoch;
    client.seq = frame.seq;
    resolveReady();
  } else if (frame.type === 'resumed') {
    client.resumed = frame;
    client.resumedAt = now();
  }
}

function closedUnexpectedly(client, code) {
  if (client.closed) return;
  client.closed = true;
  if (!closingAll)
    client.state.unexpectedCloses[code] = (client.state.unexpectedCloses[code] ?? 0) + 1;
}

function openWs(client, kind, url, token, timeoutMs) {
  return new Promise((resolve, reject) => {
    const protocols = kind === 'ours' ? ['chat.v1'] : [];
    const socket = new WebSocket(url, protocols, {
      headers: { Authorization: `Bearer ${token}` },
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    client.socket = socket;
    client.kind = kind;
    let ready = false;
    const timer = setTimeout(() => fail(new Error('no welcome in time')), timeoutMs);
    const done = () => {
      ready = true;
      clearTimeout(timer);
      resolve();
    };
    function fail(error) {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      socket.terminate();
      reject(error);
    }
    socket.on('message', (data) => {
      const i = data.indexOf(MARKER);
      if (i >= 0) {
        client.count++;
        onEvent(
          client.state,
          parseFloat(data.toString('latin1', i + MARKER_SKIP, i + MARKER_SKIP + 24)),
        );
      } else {
        onControl(client, JSON.parse(data.toString('utf8')), done);
      }
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

function openSocketIo(client, url, token, timeoutMs) {
  return new Promise((resolve, reject) => {
    const socket = connectSocketIo(url, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
    });
    client.socket = socket;
    client.kind = 'socketio';
    let ready = false;
    const timer = setTimeout(() => fail(new Error('no welcome in time')), timeoutMs);
    function fail(error) {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      socket.disconnect();
      reject(error);
    }
    socket.on('welcome', (frame) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      client.welcomed = true;
      client.welcomeAt = now();
      client.seq = frame.seq;
      resolve();
    });
    socket.on('event', (event) => {
      client.count++;
      onEvent(client.state, parseFloat(event.payload.text.slice(2)));
    });
    socket.on('connect_error', (error) => fail(error));
    socket.on('disconnect', (reason) => {
      fail(new Error(`disconnected (${reason}) before welcome`));
      closedUnexpectedly(client, reason);
    });
  });
}

/**
 * Opens `specs.length` clients with at most `concurrency` handshakes in flight. Tokens are
 * signed before the clock starts.
 */
async function connect({ kind, url, specs, concurrency, timeoutMs, secret, group = 'default' }) {
  const tokens = specs.map((spec) => signToken(secret, spec.userId));
  const fresh = specs.map((spec) => new Client(spec.userId, group));
  const errors = {};
  let connected = 0;
  let next = 0;
  const startedAt = now();
  async function lane() {
    while (next < specs.length) {
      const index = next++;
      const client = fresh[index];
      const target = url + (specs[index].query ?? '');
      try {
        if (kind === 'socketio') await openSocketIo(client, target, tokens[index], timeoutMs);
        else await openWs(client, kind, target, tokens[index], timeoutMs);
        connected++;
      } catch (error) {
        const key = String(error?.message ?? error).slice(0, 120);
        errors[key] = (errors[key] ?? 0) + 1;
        client.closed = true;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, specs.length)) }, lane));
  const endedAt = now();
  clients.push(...fresh.filter((client) => client.welcomed));
  return {
    connected,
    failed: specs.length - connected,
    errors,
    startedAt,
    endedAt,
    open: clients.length,
  };
}

function reset({ record: rec, group, gc = false }) {
  // A full collection before a measurement, so garbage of earlier steps is not collected
  // during it (the servers get the same through /bench/memory).
  if (gc && typeof globalThis.gc === 'function') globalThis.gc();
  const members = inGroup(group);
  for (const client of members) client.count = 0;
  for (const name of group === undefined ? [...groups.keys()] : [group]) {
    const state = groupState(name);
    state.recording = Boolean(rec);
    state.histogram = createHistogram();
    state.firstRecv = 0;
    state.lastRecv = 0;
    state.unexpectedCloses = {};
  }
  return { ok: true };
}

/**
 * Waits until every open client of `group` has received `expectedPerClient` events (bounded by
 * timeoutMs).
 */
async function awaitEvents({ expectedPerClient, timeoutMs, group = 'default' }) {
  const members = inGroup(group);
  const state = groupState(group);
  const deadline = Date.now() + timeoutMs;
  const isDone = () =>
    members.every((client) => client.closed || client.count >= expectedPerClient);
  while (!isDone() && Date.now() < deadline) await sleep(5);
  let received = 0;
  let open = 0;
  for (const client of members) {
    received += client.count;
    if (!client.closed) open++;
  }
  return {
    complete: isDone(),
    received,
    expected: expectedPerClient * members.length,
    open,
    firstRecv: state.firstRecv,
    lastRecv: state.lastRecv,
    histogram: pack(state.histogram),
    unexpectedCloses: state.unexpectedCloses,
  };
}

/** Waits for `resumed` on every client (connect-time resume), bounded by timeoutMs. */
async function awaitResumed({ timeoutMs, group }) {
  const deadline = Date.now() + timeoutMs;
  const mine = group === undefined ? clients : clients.filter((client) => client.group === group);
  const isDone = () => mine.every((client) => client.closed || client.resumed !== undefined);
  while (!isDone() && Date.now() < deadline) await sleep(2);
  let replayed = 0;
  let incomplete = 0;
  let firstWelcome = Infinity;
  let lastResumed = 0;
  /** Per connection: welcome → resumed (the whole replay), in ms. */
  const catchUpMs = [];
  for (const client of mine) {
    if (client.resumed === undefined) continue;
    replayed += client.resumed.replayed;
    if (!client.resumed.complete) incomplete++;
    firstWelcome = Math.min(firstWelcome, client.welcomeAt);
    lastResumed = Math.max(lastResumed, client.resumedAt);
    catchUpMs.push(client.resumedAt - client.welcomeAt);
  }
  return {
    complete: isDone(),
    replayed,
    incomplete,
    firstWelcome,
    lastResumed,
    catchUpMs,
    clients: mine.length,
  };
}

function positions() {
  return clients.map((client) => ({ userId: client.userId, epoch: client.epoch, seq: client.seq }));
}

async function closeAll({ timeoutMs = 10_000 }) {
  closingAll = true;
  const closing = clients.map(
    (client) =>
      new Promise((resolve) => {
        const socket = client.socket;
        if (client.kind === 'socketio') {
          socket.disconnect();
          resolve();
        } else if (socket.readyState === WebSocket.CLOSED) resolve();
        else {
          socket.once('close', resolve);
          socket.close(1000);
        }
      }),
  );
  const all = Promise.all(closing);
  const result = await Promise.race([
    all.then(() => 'closed'),
    sleep(timeoutMs).then(() => 'late'),
  ]);
  if (result === 'late')
    for (const client of clients) if (client.kind !== 'socketio') client.socket.terminate();
  const count = clients.length;
  clients = [];
  groups.clear();
  closingAll = false;
  return { closed: count, late: result === 'late' };
}

const handlers = {
  connect,
  reset,
  await: awaitEvents,
  awaitResumed,
  positions,
  close: closeAll,
  exit: () => setImmediate(() => process.exit(0)) && { ok: true },
  ...chatHandlers,
};

process.on('disconnect', () => process.exit(0));
process.on('message', async (message) => {
  const { id, cmd, args } = message;
  try {
    const handler = handlers[cmd];
    if (!handler) throw new Error(`unknown command ${cmd}`);
    const result = await handler(args ?? {});
    process.send({ id, ok: true, result });
  } catch (error) {
    process.send({ id, ok: false, error: error?.stack ?? String(error) });
  }
});
process.send({ type: 'ready', pid: process.pid });
