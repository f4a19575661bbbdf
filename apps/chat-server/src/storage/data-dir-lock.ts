import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataDirLockedError } from './history-errors.js';

/** The lock file, inside `DATA_DIR`. */
export const LOCK_FILE = 'chat-server.lock';

/** A held lock on a data directory. */
export interface DataDirLock {
  /** Removes the lock file if it is still this lock's. Idempotent. */
  release(): Promise<void>;
}

/**
 * Tokens of the locks this process holds. Process-wide on purpose, like the files themselves:
 * a second open of the same directory in this process must be refused too, while a lock file
 * left with this pid by an earlier life of the process (pid 1 in a container) must not be.
 */
const heldTokens = new Set<string>();

/**
 * Takes the lock of an embedded database directory: PGlite has no locking of its own, and two
 * processes writing one directory corrupt it. The lock file holds `pid:token`; a lock whose
 * process no longer runs is stale and taken over.
 *
 * @throws DataDirLockedError (`HISTORY_DATA_DIR_LOCKED`) when a live process holds it
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const token = `${process.pid}:${randomBytes(8).toString('hex')}`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await writeFile(file, token, { flag: 'wx' });
      heldTokens.add(token);
      return { release: () => release(file, token) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(file, 'utf8').catch(() => '');
    const pid = Number(holder.split(':')[0]);
    if (isHeld(holder, pid)) throw new DataDirLockedError(dir, pid);
    await rm(file, { force: true });
  }
  throw new DataDirLockedError(dir, Number.NaN);
}

function isHeld(holder: string, pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return heldTokens.has(holder);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function release(file: string, token: string): Promise<void> {
  if (!heldTokens.delete(token)) return;
  const holder = await readFile(file, 'utf8').catch(() => undefined);
  if (holder === token) await rm(file, { force: true });
}
