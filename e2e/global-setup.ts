/**
 * Starts the built chat server (`node apps/chat-server/dist/main.js`) on 127.0.0.1 with
 * NODE_ENV=test and an OS-chosen port, hands its URL to the tests (`inject('baseUrl')`), and
 * stops it with SIGTERM after the run.
 */
import type { TestProject } from 'vitest/node';
import { startChatServer } from './support/chat-server-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The chat server under test, e.g. `http://127.0.0.1:40123`. */
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startChatServer();
  project.provide('baseUrl', server.url);

  return async () => {
    const exitCode = await server.stop();
    if (exitCode !== 0) {
      console.error(`The chat server exited with ${exitCode}; its output:\n${server.output()}`);
    }
  };
}
