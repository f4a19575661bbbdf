/** Starts a real chat server for a test: NODE_ENV=test, 127.0.0.1, port 0, short timings. */
import { configureLogging } from '@app/logging-ssot';
import { loadConfig, type ChatServerConfig } from '../../src/config.js';
import { createChatServer, type ChatServer, type ChatServerOptions } from '../../src/server.js';

/** A fixed secret, so tests can sign their own tokens. */
export const TEST_JWT_SECRET = 'test-secret-of-at-least-32-bytes!!';

/** One `slow N` second in tests. */
const TEST_SLOW_TICK_MS = 200;

/** A server started by {@link startTestServer}. */
export interface TestServer {
  server: ChatServer;
  config: ChatServerConfig;
  /** `http://127.0.0.1:port` */
  url: string;
  /** `ws://127.0.0.1:port` */
  wsUrl: string;
}

/**
 * Starts a server from a test environment merged with `env`.
 *
 * @param env variables on top of the test defaults
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: ChatServerOptions = {},
): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    JWT_SECRET: TEST_JWT_SECRET,
    SERVER_ID: 'test-node',
    WS_HEARTBEAT_MS: '5000',
    SHUTDOWN_GRACE_MS: '500',
    LOG_LEVEL: 'error',
    // History in an in-memory PGlite: test files run in parallel and must not share ./.data.
    DATA_DIR: 'memory://',
    ...env,
  });
  configureLogging({ level: config.logLevel });
  const server = await createChatServer(config, {
    agents: { assistant: { slowTickMs: TEST_SLOW_TICK_MS }, llm: { maxRetries: 0 } },
    ...options,
  });
  return { server, config, url: server.url, wsUrl: server.url.replace(/^http/, 'ws') };
}

/** `POST /api/v1/dev/login` → the token. */
export async function devLogin(url: string, userId: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/dev/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (response.status !== 200)
    throw new Error(`dev login answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { token: string };
  return body.token;
}
