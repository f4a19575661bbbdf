/**
 * The process entry point: loads the configuration, starts the server, stops it on
 * SIGTERM/SIGINT. Only wiring lives here.
 */
import { isAppError } from '@app/ws-protocol';
import { codes } from './error-codes.js';
import { loadConfig, type ChatServerConfig } from './config.js';
import type { ChatServer } from './server.js';

function readConfig(): ChatServerConfig | undefined {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!isAppError(error, codes.CONFIG_INVALID)) throw error;
    // The one line an operator reads; nothing else has been loaded or printed yet.
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

/** Resolves once what was written to stdout so far has been handed to the OS. */
function flushStdout(): Promise<void> {
  return new Promise((resolve) => process.stdout.write('', () => resolve()));
}

async function main(): Promise<void> {
  const config = readConfig();
  if (!config) return;
  // Loaded only after the configuration is valid, so an invalid one prints nothing but its line.
  const { configureLogging, createLogger } = await import('@app/logging-ssot');
  configureLogging({
    level: config.logLevel,
    format: config.logFormat,
    // SERVICE_NAME, read by the logging package itself, still wins.
    ...(process.env.SERVICE_NAME ? {} : { service: 'chat-server' }),
  });
  const logger = createLogger('main');
  for (const warning of config.warnings) logger.warn(warning);

  const { createChatServer } = await import('./server.js');
  let server: ChatServer;
  try {
    server = await createChatServer(config);
  } catch (error) {
    logger.error('The chat server could not start', { error });
    await flushStdout();
    process.exit(1);
  }
  logger.info(`Chat server listening on ${server.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`Received ${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`Received ${signal}: shutting down`);
    server.close().then(
      async () => {
        await flushStdout();
        process.exit(0);
      },
      async (error: unknown) => {
        logger.error('Shutdown failed', { error });
        await flushStdout();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
