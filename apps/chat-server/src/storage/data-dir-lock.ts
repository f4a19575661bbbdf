import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataDirLockedError } from './history-errors.js';

/** The lock file, inside `DATA_DIR`. */
export const LOCK_FILE = 'chat-server.lock';

/** A held lock on a data directory. */
export interface DataDirLock {
  /** Removes the lock file if it is still this lock's. Idempotent. */
  release(): Promise<void>;
}

/**
 * Tokens of the locks this process holds or is taking. Process-wide on purpose, like the files
 * themselves: a second open of the same directory in this process must be refused too, while a
 * lock file left with this pid by an earlier life of the process (pid 1 in a container) must not
 * be. A token is added before its file can appear, so a lock being taken is never judged stale.
 */
const heldTokens = new Set<string>();

/** How often a start looks again while another process is taking over a stale lock. */
const ATTEMPTS = 500;
const RETRY_DELAY_MS = 10;
/** Takeovers of takeovers: only a crash inside a takeover's few milliseconds makes a level. */
const MAX_TAKEOVER_DEPTH = 3;

/**
 * Takes the lock of an embedded database directory: PGlite has no locking of its own, and two
 * processes writing one directory corrupt it (docs/storage.md#the-embedded-database-files-lock-backups).
 *
 * The lock file holds `pid:token` and appears atomically with its content (written aside, then
 * hard-linked into place, which fails when the file exists: an exclusive create). A lock whose
 * process no longer runs is stale. Taking it over must stay atomic when several servers start
 * at once, so nobody deletes a lock file on a judgement alone: the one who removes the stale lock
 * whose content is C is the one who exclusively created `chat-server.lock.takeover-<hash of C>`
 * and, holding that, read C again. Removal is followed by the same exclusive create as a first
 * start, so exactly one server ends up holding the lock; the others find it held and refuse.
 *
 * @throws DataDirLockedError (`HISTORY_DATA_DIR_LOCKED`) when a live process holds it
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const token = `${process.pid}:${randomBytes(8).toString('hex')}`;
  heldTokens.add(token);
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      if (await createExclusive(file, token)) {
        return { release: () => release(file, token) };
      }
      const holder = await readFile(file, 'utf8').catch(() => undefined);
      if (holder === undefined) continue; // released meanwhile: try again at once
      if (isHeld(holder)) throw new DataDirLockedError(dir, holderPid(holder));
      if (!(await removeIfStale(file, holder, token, 0))) await sleep(RETRY_DELAY_MS);
    }
    throw new DataDirLockedError(dir, Number.NaN);
  } catch (error) {
    heldTokens.delete(token);
    throw error;
  }
}

/**
 * Removes `file` if it still holds `content`, judged stale by the caller, under the takeover
 * guard of that content. False when another process holds the guard (it is removing the file;
 * look again shortly).
 */
async function removeIfStale(
  file: string,
  content: string,
  token: string,
  depth: number,
): Promise<boolean> {
  const guard = `${path.join(path.dirname(file), LOCK_FILE)}.takeover-${digest(content)}`;
  if (!(await createExclusive(guard, token))) {
    const guardHolder = await readFile(guard, 'utf8').catch(() => undefined);
    // A guard whose taker died mid-takeover is itself stale: taken over one level deeper.
    if (guardHolder !== undefined && !isHeld(guardHolder) && depth < MAX_TAKEOVER_DEPTH) {
      await removeIfStale(guard, guardHolder, token, depth + 1);
    }
    return false;
  }
  try {
    // Holding the guard, nobody else may remove `file` while it holds `content`, and its dead
    // owner cannot: if it still holds `content` now, it does until we remove it.
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current === content) await rm(file, { force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

/** Creates `file` with `content` only if it does not exist; the content is complete on arrival. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  const aside = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(aside, content, { flag: 'wx' });
  try {
    await link(aside, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(aside, { force: true });
  }
}

function digest(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}

function holderPid(holder: string): number {
  return Number(holder.split(':')[0]);
}

/** Whether the `pid:token` in a lock file belongs to a process that still has it. */
function isHeld(holder: string): boolean {
  const pid = holderPid(holder);
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
  if (!heldTokens.has(token)) return;
  // Still held while the file goes, so that no other open in this process judges it stale.
  const holder = await readFile(file, 'utf8').catch(() => undefined);
  if (holder === token) await rm(file, { force: true });
  heldTokens.delete(token);
}
