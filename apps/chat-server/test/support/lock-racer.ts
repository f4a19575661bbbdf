/**
 * A process that takes `DATA_DIR` locks on command, for the lock race test. Reads lines on stdin:
 * `lock <dir>` → tries `lockDataDir(dir)` and prints `won`, `refused` or `error <message>`;
 * `release` → releases what it holds and prints `released`. Prints `ready` first; exits when
 * stdin closes.
 */
import { createInterface } from 'node:readline';
import { lockDataDir, type DataDirLock } from '../../src/storage/data-dir-lock.js';
import { isAppError } from '@app/ws-protocol';
import { codes } from '../../src/error-codes.js';

let held: DataDirLock | undefined;

async function handle(line: string): Promise<string> {
  const [command, ...rest] = line.split(' ');
  if (command === 'lock') {
    try {
      held = await lockDataDir(rest.join(' '));
      return 'won';
    } catch (error) {
      if (isAppError(error, codes.HISTORY_DATA_DIR_LOCKED)) return 'refused';
      return `error ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (command === 'release') {
    await held?.release();
    held = undefined;
    return 'released';
  }
  return `error unknown command ${JSON.stringify(line)}`;
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  void handle(line).then((answer) => process.stdout.write(`${answer}\n`));
});
lines.on('close', () => process.exit(0));
process.stdout.write('ready\n');
