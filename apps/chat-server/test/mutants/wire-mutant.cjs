/* global require, module, __dirname -- CommonJS: loaded with NODE_OPTIONS=--require */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
/**
 * Wire-level server mutants (scripts/test-mutants.mjs): each mutant file is loaded into every
 * process of a test run with `NODE_OPTIONS=--require <file>` and changes what chat-server's
 * WebSocket endpoint writes, the way a subtly broken server would. Only server-side sockets are
 * touched — those `ws`'s WebSocketServer hands out from `handleUpgrade` — never the clients a
 * test opens in the same process, so the tests see a broken server, not broken clients.
 */
const path = require('node:path');

// The `ws` the server loads: resolved from chat-server, as its own imports resolve it.
const WebSocket = require(require.resolve('ws', { paths: [path.resolve(__dirname, '..', '..')] }));
const { WebSocketServer } = WebSocket;

/** Server-side sockets still open, in the order they opened. */
const openSockets = new Set();
/** What the mutants know about each server-side socket. */
const infos = new WeakMap();

/**
 * @typedef {object} SocketInfo
 * @property {string} url the upgrade request's URL (with `?lastSeq=` when it resumed at connect)
 * @property {string | undefined} userId from the `welcome` sent on it
 * @property {boolean} resumed whether a `resumed` frame was sent on it
 * @property {number} liveEvents stream events sent on it after its first `resumed`
 */

/**
 * @typedef {object} Outgoing
 * @property {Record<string, unknown>} frame the parsed frame
 * @property {boolean} sequenced whether it is a stream event (a `seq`, not `welcome`)
 * @property {SocketInfo} info the socket's info (updated before the mutation runs)
 * @property {() => void} deliver sends the frame as the server meant to
 * @property {() => void} duplicate sends the frame once more (no callback)
 * @property {() => void} drop sends nothing (calls the send callback, if any)
 * @property {(predicate: (info: SocketInfo) => boolean) => boolean} copyTo also sends the frame to
 *   the first other open server socket whose info matches; false when there is none
 */

/**
 * Installs `mutation`: it is called for every JSON text frame a server-side socket sends, and
 * decides what goes on the wire.
 * @param {(out: Outgoing) => void} mutation
 */
function mutateServerFrames(mutation) {
  const handleUpgrade = WebSocketServer.prototype.handleUpgrade;
  WebSocketServer.prototype.handleUpgrade = function (req, socket, head, cb) {
    return handleUpgrade.call(this, req, socket, head, (ws, request) => {
      infos.set(ws, { url: req.url ?? '', userId: undefined, resumed: false, liveEvents: 0 });
      openSockets.add(ws);
      ws.once('close', () => openSockets.delete(ws));
      cb(ws, request);
    });
  };

  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data, options, cb) {
    const info = infos.get(this);
    if (info === undefined || typeof data !== 'string') return send.call(this, data, options, cb);
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return send.call(this, data, options, cb);
    }
    const sequenced = typeof frame.seq === 'number' && frame.type !== 'welcome';
    if (frame.type === 'welcome') info.userId = frame.userId;
    if (sequenced && info.resumed) info.liveEvents++;
    if (frame.type === 'resumed') info.resumed = true;
    const callback = typeof options === 'function' ? options : cb;
    mutation({
      frame,
      sequenced,
      info,
      deliver: () => send.call(this, data, options, cb),
      duplicate: () => send.call(this, data),
      drop: () => {
        if (typeof callback === 'function') process.nextTick(callback);
      },
      copyTo: (predicate) => {
        for (const other of openSockets) {
          const otherInfo = infos.get(other);
          if (other === this || other.readyState !== WebSocket.OPEN || !predicate(otherInfo))
            continue;
          send.call(other, data);
          return true;
        }
        return false;
      },
    });
  };
}

module.exports = { mutateServerFrames };
