/**
 * Two servers start at once on a `DATA_DIR` whose lock was left by a crashed process. The lock
 * used to be taken over by read, judge stale, remove, create — not atomic: both processes judged
 * the same stale lock, one removed it and took it, the other removed the new lock and took it
 * too (27 of 30 trials), and two writers corrupt a PGlite cluster. Now exactly one of them
 * holds the lock, every time (docs/storage.md#the-embedded-database-files-lock-backups).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/storage/data-dir-lock.js';

const TRIALS = 30;
const racerScript = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../support/lock-racer.ts',
);

/** One racer process and the answers it printed, one per line. */
interface Racer {
  child: ChildProcessWithoutNullStreams;
  next(): Promise<string>;
}

function startRacer(): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', racerScript], { stdio: 'pipe' });
  const answers: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else answers.push(line);
    }
  });
  return {
    child,
    next: () =>
      new Promise((resolve) => {
        const ready = answers.shift();
        if (ready !== undefined) resolve(ready);
        else waiting.push(resolve);
      }),
  };
}

/** A pid that no process has any more: a child that exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  if (child.pid === undefined) throw new Error('the child got no pid');
  return child.pid;
}

let racers: Racer[] = [];
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'chat-lock-race-'));
  racers = [startRacer(), startRacer()];
  for (const racer of racers) expect(await racer.next()).toBe('ready');
});

afterAll(async () => {
  for (const racer of racers) racer.child.stdin.end();
  await Promise.all(
    racers.map((racer) => new Promise((resolve) => racer.child.once('exit', resolve))),
  );
  await rm(root, { recursive: true, force: true });
});

describe('attack: two servers start at once on a DATA_DIR with a stale lock', () => {
  it(`exactly one takes the lock, in each of ${TRIALS} trials`, async () => {
    const dead = await deadPid();
    const outcomes: string[][] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const dir = path.join(root, `trial-${trial}`);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, LOCK_FILE), `${dead}:crashed-${trial}`);
      // Both commands go out together: the racers judge the same stale lock at the same time.
      for (const racer of racers) racer.child.stdin.write(`lock ${dir}\n`);
      const answers = await Promise.all(racers.map((racer) => racer.next()));
      outcomes.push(answers);
      for (const racer of racers) racer.child.stdin.write('release\n');
      for (const racer of racers) expect(await racer.next()).toBe('released');
    }
    const winners = outcomes.map((answers) => answers.filter((a) => a === 'won').length);
    expect(outcomes.flat().filter((a) => a !== 'won' && a !== 'refused')).toEqual([]);
    expect(winners).toEqual(Array.from({ length: TRIALS }, () => 1));
  });
});
