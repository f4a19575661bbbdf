/**
 * The Socket.IO peer: JWT in the handshake `auth` ({token}), verified in a middleware, one room
 * per user (`u:<id>`), a `welcome` emitted on connection, and each event emitted to the user's
 * room as an object (Socket.IO encodes a broadcast once). WebSocket transport only; Socket.IO's
 * own 25 s heartbeat. A `chat` event is answered with the frames of the demo agent's run
 * (run-frames.mjs) as `frame` events.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import {
  createControlHandler,
  createPeerStreams,
  listenAndReport,
  peerEvent,
  peerId,
} from './bench-control.mjs';
import { verifyUser } from './peer-auth.mjs';
import { createRunEmulator } from './run-frames.mjs';

const streams = createPeerStreams();
const runs = createRunEmulator();
let connections = 0;

const server = http.createServer();
const io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  maxHttpBufferSize: 65536,
});

const adapter = {
  async begin(userIds) {
    return streams.startRuns(userIds).map(({ userId, state }) => ({ room: `u:${userId}`, state }));
  },
  emit(handle, text) {
    io.to(handle.room).emit('event', peerEvent(handle.state, text));
  },
  async end() {},
  stats: () => ({ connections, rooms: io.of('/').adapter.rooms.size }),
};

const control = createControlHandler(adapter, { kind: 'socketio' });
// Socket.IO answers /socket.io/ itself and hands every other request to these listeners.
server.on('request', (request, response) => {
  if ((request.url ?? '').startsWith('/socket.io/')) return;
  void control(request, response).then((handled) => {
    if (!handled && !response.headersSent) {
      response.writeHead(404);
      response.end();
    }
  });
});

io.use((socket, next) => {
  const token = socket.handshake.auth?.token;
  if (typeof token !== 'string') return next(new Error('unauthorized'));
  verifyUser(token).then(
    (userId) => {
      socket.data.userId = userId;
      next();
    },
    () => next(new Error('unauthorized')),
  );
});

io.on('connection', (socket) => {
  connections++;
  const userId = socket.data.userId;
  socket.join(`u:${userId}`);
  socket.on('disconnect', () => connections--);
  // `chat` / `cancel` events carry the client message; the run's frames go out as `frame`
  // events (events to the user's room, the ack to this socket), see run-frames.mjs.
  const onMessage = (message) =>
    runs.onMessage(
      streams.stateOf(userId),
      message,
      (frame) => io.to(`u:${userId}`).emit('frame', frame),
      (frame) => socket.emit('frame', frame),
    );
  socket.on('chat', (message) => onMessage({ ...message, type: 'chat' }));
  socket.on('cancel', (message) => onMessage({ ...message, type: 'cancel' }));
  socket.emit('welcome', {
    connectionId: peerId('c_'),
    userId,
    seq: streams.seqOf(userId),
  });
});

listenAndReport(server, 'socketio');
