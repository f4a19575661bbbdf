import type http from 'node:http';
import type { Logger } from '@app/logging-ssot';
import type { WebSocketHub } from '@app/ws-core';
import type { WebSocketRoutes } from '@app/ws-routes';

/** How long open HTTP requests get to finish once the sockets are closed. */
const HTTP_CLOSE_TIMEOUT_MS = 2000;

/** What a shutdown acts on. */
export interface ShutdownTarget {
  /** Turns readiness and new upgrades to 503. */
  markShuttingDown(): void;
  hub: WebSocketHub;
  routes: WebSocketRoutes;
  server: http.Server;
  /** `SHUTDOWN_GRACE_MS`: how long running runs get to end before they are cancelled. */
  graceMs: number;
  logger: Logger;
}

/**
 * The graceful shutdown, in this order: readiness and upgrades turn 503; new `chat` messages
 * get `error unavailable` while running runs get `graceMs` to end, then are cancelled and their
 * terminal events delivered (`hub.drain`); every socket closes with 1001; the hub stops; the
 * HTTP server closes (idle keep-alive connections at once, busy ones after
 * {@link HTTP_CLOSE_TIMEOUT_MS}).
 */
export async function shutDown(target: ShutdownTarget): Promise<void> {
  const { hub, routes, server, graceMs, logger } = target;
  target.markShuttingDown();
  const { activeRuns, connections } = hub.stats();
  logger.info('Shutting down', { graceMs, activeRuns, connections });
  await hub.drain(graceMs);
  await routes.close();
  await hub.close();
  await closeHttpServer(server);
  logger.info('Shut down');
}

function closeHttpServer(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), HTTP_CLOSE_TIMEOUT_MS);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
