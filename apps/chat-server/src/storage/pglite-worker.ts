/**
 * The worker thread that runs PGlite (see `pglite-thread.ts`): it opens the embedded database
 * (`workerData.dataDir`, or in memory), then answers each message of raw PostgreSQL wire
 * protocol bytes with PGlite's raw answer, in order, and closes the database when asked.
 * Nothing else runs here, so the WASM Postgres never blocks the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { describeError } from './describe-error.js';
import { openPglite } from './pglite-template.js';
import type { FromPgliteWorker, ToPgliteWorker } from './pglite-worker-messages.js';

const port = parentPort;
if (port === null) throw new Error('pglite-worker runs as a worker thread');
const { dataDir } = workerData as { dataDir: string | undefined };

function post(message: FromPgliteWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function log(level: 'warn' | 'debug', message: string, fields: Record<string, unknown> = {}): void {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    plain[key] = value instanceof Error ? describeError(value) : value;
  }
  post({ type: 'log', level, message, fields: plain });
}

let pglite: PGlite;
try {
  pglite = await openPglite(dataDir, {
    warn: (message, fields) => log('warn', message, fields),
    debug: (message, fields) => log('debug', message, fields),
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', message: describeError(error) });
  port.close();
  throw error;
}

/** One request at a time, in arrival order: each answer is the bytes of its request alone. */
let queue = Promise.resolve();
port.on('message', (message: ToPgliteWorker) => {
  queue = queue.then(() => handle(message));
});

async function handle(message: ToPgliteWorker): Promise<void> {
  if (message.type === 'close') {
    await pglite.close().catch(() => undefined);
    post({ type: 'closed' });
    port!.close();
    return;
  }
  try {
    const answer = await pglite.execProtocolRaw(message.bytes);
    // A copy of its own: PGlite reuses its answer buffer for the next request.
    const copy = answer.slice();
    post({ type: 'answer', id: message.id, bytes: copy }, [copy.buffer]);
  } catch (error) {
    post({ type: 'error', id: message.id, message: describeError(error) });
  }
}
