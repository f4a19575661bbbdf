import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { AI_SDK_SUBPROTOCOL } from '@app/ws-ai-sdk';
import { CLOSE_CODES, SUBPROTOCOL } from '@app/ws-protocol';
import { WebSocketServer, type ServerOptions } from 'ws';
import { ConnectionSession, SessionSocket, type SessionEnvironment } from './connection-session.js';
import { ExpiryQueue } from './expiry-queue.js';
import { HeartbeatSweep } from './heartbeat.js';
import { createRouteMetrics } from './route-metrics.js';
import { resolveRoutesOptions, type WebSocketRoutesOptions } from './routes-options.js';
import { readRequestTarget } from './request-target.js';
import { selectSubprotocol } from './subprotocol.js';
import { createUpgradeListener } from './upgrade-handler.js';

/** The endpoint attached to an HTTP server. */
export interface WebSocketRoutes {
  /** Open connections of this endpoint (every user, every mode). */
  readonly connectionCount: number;
  /**
   * Terminates every socket of `userId` without a close frame, as a network failure would; the
   * clients see 1006. A test hook: chat-server exposes it only when `NODE_ENV=test`.
   * @returns how many sockets were terminated
   */
  dropUserConnections(userId: string): number;
  /**
   * Shuts the endpoint: upgrades get 503 from now on, every socket gets close 1001 (after what is
   * already queued for it), and sockets that have not finished closing after `graceMs` (default
   * `closeTimeoutMs`) are terminated. Resolves once every socket is gone. Drain the hub first
   * (`hub.drain`) so runs end and their terminal events are delivered before the 1001.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Attaches the WebSocket endpoint (docs/protocol.md, sections 1 to 7) to `server`: `/ws` and `/api/v1/websocket`
 * (v1, subprotocol `chat.v1`), `/websocket` and `/ws?mode=legacy` (legacy flat format), and
 * `/ai-sdk/ws` (the AI SDK's `WebSocketChatTransport`, subprotocol `ai-sdk`,
 * docs/interop.md#1-ai-sdk-websocketchattransport), with the same checks, limits and heartbeat. Every
 * check of the upgrade — readiness, path, mode, origin, attempts per address, credentials,
 * connections per user — runs before the upgrade, so a refused client never holds a socket.
 *
 * @param server any node `http.Server` (or `https.Server`); this endpoint answers all its upgrades
 * @param options see {@link WebSocketRoutesOptions}; `hub` and `auth` are required
 * @throws RoutesConfigError (`WS_ROUTES_CONFIG`) for options that cannot work
 */
export function attachWebSocketRoutes(
  server: HttpServer | HttpsServer,
  options: WebSocketRoutesOptions,
): WebSocketRoutes {
  const resolved = resolveRoutesOptions(options);
  const metrics = createRouteMetrics(resolved.metricsRegistry);
  const sessions = new Set<ConnectionSession>();
  let closing = false;

  // `closeTimeout` (ws ≥ 8.19, not yet in @types/ws) bounds closes the peer started too; the
  // session's own reap timer covers the closes this side starts.
  const serverOptions: ServerOptions<typeof SessionSocket> & { closeTimeout: number } = {
    WebSocket: SessionSocket,
    noServer: true,
    clientTracking: false,
    maxPayload: resolved.maxPayloadBytes,
    perMessageDeflate: false,
    handleProtocols: (offered, request) =>
      selectSubprotocol(offered, isAiSdkRequest(request) ? AI_SDK_SUBPROTOCOL : SUBPROTOCOL),
    closeTimeout: resolved.closeTimeoutMs,
  };
  const webSocketServer = new WebSocketServer<typeof SessionSocket>(serverOptions);

  // One ping timer and one expiry timer for all sessions, rather than two per connection.
  const heartbeat = new HeartbeatSweep(resolved.heartbeatMs, sessions);
  const expiries = new ExpiryQueue<ConnectionSession>((session) => session.credentialsExpired());

  const sessionEnvironment: SessionEnvironment = {
    hub: resolved.hub,
    verifier: resolved.auth,
    metrics,
    logger: resolved.logger,
    heartbeatMs: resolved.heartbeatMs,
    closeTimeoutMs: resolved.closeTimeoutMs,
    abuse: resolved.abuse,
    invalidFrames: resolved.invalidFrames,
    heartbeat,
    expiries,
    ended(session) {
      sessions.delete(session);
    },
  };

  const onUpgrade = createUpgradeListener({
    options: resolved,
    server: webSocketServer,
    metrics,
    isClosing: () => closing,
    connected(socket, accepted) {
      const session = new ConnectionSession(socket, sessionEnvironment, {
        reservation: accepted.reservation,
        manager: accepted.manager,
        token: accepted.token,
        credentialSource: accepted.credentialSource,
        mode: accepted.mode,
        resume: accepted.resume,
      });
      sessions.add(session);
      void session.start();
    },
  });
  server.on('upgrade', onUpgrade);

  return {
    get connectionCount() {
      return sessions.size;
    },
    dropUserConnections(userId) {
      let dropped = 0;
      for (const session of sessions) {
        if (session.userId !== userId) continue;
        session.terminate();
        dropped += 1;
      }
      if (dropped > 0) resolved.logger.info('dropped user connections', { userId, dropped });
      return dropped;
    },
    async close(graceMs = resolved.closeTimeoutMs) {
      // The upgrade listener stays: until the server itself closes, late upgrades get 503.
      closing = true;
      const open = [...sessions];
      for (const session of open) session.close(CLOSE_CODES.GOING_AWAY, 'server shutting down');
      const allEnded = Promise.all(open.map((session) => session.ended));
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      if ((await Promise.race([allEnded, graceOver])) === 'late') {
        for (const session of sessions) session.terminate();
        await allEnded;
      }
      clearTimeout(timer);
      heartbeat.stop();
      expiries.clear();
      webSocketServer.close();
    },
  };
}

function isAiSdkRequest(request: IncomingMessage): boolean {
  const target = readRequestTarget(request.url);
  return target.ok && target.mode === 'ai-sdk';
}
