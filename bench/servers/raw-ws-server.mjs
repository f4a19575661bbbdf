/**
 * The raw `ws` peer: the baseline. Verifies the JWT in the HTTP upgrade (Authorization header),
 * sends a welcome frame, keeps each user's sockets in a set, and sends each event (the same
 * ~300-byte JSON frame as ours, serialized once) to every socket of the user. A 25 s
 * ping/pong heartbeat like ours' and Socket.IO's. A `chat` is answered with the frames of the
 * demo agent's run (run-frames.mjs). Nothing else: no streams, no retention.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import {
  createControlHandler,
  createPeerStreams,
  listenAndReport,
  peerEvent,
  peerId,
} from './bench-control.mjs';
import { bearerToken, verifyUser } from './peer-auth.mjs';
import { createRunEmulator } from './run-frames.mjs';

const HEARTBEAT_MS = 25_000;
/** @type {Map<string, Set<import('ws').WebSocket>>} */
const socketsByUser = new Map();
const streams = createPeerStreams();
const runs = createRunEmulator();
let connections = 0;

const wss = new WebSocketServer({
  noServer: true,
  clientTracking: false,
  perMessageDeflate: false,
  maxPayload: 65536,
});

const adapter = {
  async begin(userIds) {
    return streams.startRuns(userIds);
  },
  emit(handle, text) {
    const sockets = socketsByUser.get(handle.userId);
    const json = JSON.stringify(peerEvent(handle.state, text));
    if (sockets) for (const socket of sockets) socket.send(json);
  },
  async end() {},
  stats: () => ({ connections, users: socketsByUser.size }),
};

const control = createControlHandler(adapter, { kind: 'ws' });
const server = http.createServer((request, response) => {
  void control(request, response).then((handled) => {
    if (!handled) {
      response.writeHead(404);
      response.end();
    }
  });
});

function refuse(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

server.on('upgrade', async (request, socket, head) => {
  socket.on('error', () => socket.destroy());
  const token = bearerToken(request.headers.authorization);
  if (!token) return refuse(socket, 401, 'Unauthorized');
  let userId;
  try {
    userId = await verifyUser(token);
  } catch {
    return refuse(socket, 401, 'Unauthorized');
  }
  wss.handleUpgrade(request, socket, head, (ws) => {
    connections++;
    let set = socketsByUser.get(userId);
    if (!set) socketsByUser.set(userId, (set = new Set()));
    set.add(ws);
    ws.isAlive = true;
    ws.on('pong', () => (ws.isAlive = true));
    // A chat is answered with the frames of a whole run (run-frames.mjs); events to every
    // socket of the user, each serialized once.
    const sendEvent = (frame) => {
      const json = JSON.stringify(frame);
      for (const socket of set) socket.send(json);
    };
    const sendReply = (frame) => ws.send(JSON.stringify(frame));
    ws.on('message', (data) => {
      let message;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      runs.onMessage(streams.stateOf(userId), message, sendEvent, sendReply);
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      connections--;
      set.delete(ws);
      if (set.size === 0 && socketsByUser.get(userId) === set) socketsByUser.delete(userId);
    });
    const seq = streams.seqOf(userId);
    ws.send(JSON.stringify({ type: 'welcome', connectionId: peerId('c_'), userId, seq }));
  });
});

setInterval(() => {
  for (const set of socketsByUser.values()) {
    for (const ws of set) {
      if (!ws.isAlive) ws.terminate();
      else {
        ws.isAlive = false;
        ws.ping();
      }
    }
  }
}, HEARTBEAT_MS).unref();

listenAndReport(server, 'ws');
