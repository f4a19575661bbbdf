'use strict';
// A background worker that still loads the old package with require().
const { getWebSocketManager, WebSocketConnectionManager } = require('@app/ws-legacy/unified-manager');

function start(ctx) {
  const manager = getWebSocketManager(ctx);
  // Built by hand instead of through the factory: scan reports it, fix leaves it to you.
  const spare = new WebSocketConnectionManager(ctx);
  return { manager, spare };
}

module.exports = { start };
