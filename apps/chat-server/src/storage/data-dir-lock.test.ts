import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from './data-dir-lock.js';
import { isAppError } from '@app/ws-protocol';
import { codes } from '../error-codes.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'chat-lock-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(target: string): Promise<unknown> {
  return lockDataDir(target).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('lockDataDir', () => {
  it('refuses a second lock in the same process until the first is released', async () => {
    const lock = await lockDataDir(dir);
    const error = await refusal(dir);
    expect(isAppError(error, codes.HISTORY_DATA_DIR_LOCKED)).toBe(true);
    expect((error as Error).message).toContain(`process ${process.pid}`);
    await lock.release();
    await lock.release();
    const again = await lockDataDir(dir);
    await again.release();
  });

  it('refuses a lock held by another live process', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      await writeFile(path.join(dir, LOCK_FILE), `${child.pid}:sometoken`);
      expect(isAppError(await refusal(dir), codes.HISTORY_DATA_DIR_LOCKED)).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('takes over a stale lock: a dead process, or this pid from an earlier life', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.on('exit', resolve));
    await writeFile(path.join(dir, LOCK_FILE), `${child.pid}:old`);
    const lock = await lockDataDir(dir);
    await lock.release();
    await writeFile(path.join(dir, LOCK_FILE), `${process.pid}:from-a-previous-start`);
    const second = await lockDataDir(dir);
    expect(await readFile(path.join(dir, LOCK_FILE), 'utf8')).toMatch(
      new RegExp(`^${process.pid}:`),
    );
    await second.release();
  });

  it('takes over a stale lock whose takeover was left half-done by a crash', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.on('exit', resolve));
    const stale = `${child.pid}:crashed`;
    await writeFile(path.join(dir, LOCK_FILE), stale);
    // The process taking it over died holding the takeover guard of that content.
    const digest = createHash('sha256').update(stale).digest('hex').slice(0, 32);
    await writeFile(path.join(dir, `${LOCK_FILE}.takeover-${digest}`), `${child.pid}:taker`);
    const lock = await lockDataDir(dir);
    expect(await readFile(path.join(dir, LOCK_FILE), 'utf8')).toMatch(
      new RegExp(`^${process.pid}:`),
    );
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });
});
