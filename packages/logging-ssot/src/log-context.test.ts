import { setImmediate as immediate, setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectLines, type CollectedLines } from '../test/collect-lines';
import { createLogger, getLogContext, withLogContext } from './index';

const log = createLogger('context-test');
let output: CollectedLines;

beforeEach(() => {
  output = collectLines();
});
afterEach(() => {
  output.restore();
});

function lineWith(message: string): Record<string, unknown> {
  const line = output.parsed().find((entry) => entry.message === message);
  expect(line, `a line "${message}"`).toBeDefined();
  return line!;
}

describe('withLogContext', () => {
  it('returns what fn returns, sync or async', async () => {
    expect(withLogContext({ runId: 'r' }, () => 42)).toBe(42);
    await expect(withLogContext({ runId: 'r' }, async () => 'done')).resolves.toBe('done');
  });

  it('carries fields across awaits, setTimeout, setImmediate and callbacks', async () => {
    await withLogContext({ userId: 'u1', requestId: 'req-1' }, async () => {
      log.info('sync');
      await Promise.resolve();
      log.info('after await');
      await sleep(1);
      log.info('after sleep');
      await immediate();
      log.info('after immediate');
      await new Promise<void>((resolve) => {
        setTimeout(() => {
          log.info('in setTimeout');
          resolve();
        }, 1);
      });
      await new Promise<void>((resolve) => {
        setImmediate(() => {
          log.info('in setImmediate');
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        queueMicrotask(() => {
          log.info('in microtask');
          resolve();
        });
      });
    });
    const messages = [
      'sync',
      'after await',
      'after sleep',
      'after immediate',
      'in setTimeout',
      'in setImmediate',
      'in microtask',
    ];
    for (const message of messages) {
      expect(lineWith(message)).toMatchObject({ userId: 'u1', requestId: 'req-1' });
    }
  });

  it('keeps concurrent flows apart', async () => {
    const flow = (userId: string, runId: string, delays: number[]) =>
      withLogContext({ userId, runId }, async () => {
        for (const [step, delay] of delays.entries()) {
          await sleep(delay);
          log.info(`${userId} step ${step}`);
        }
      });
    await Promise.all([flow('alice', 'run-a', [3, 0, 2, 1]), flow('bob', 'run-b', [0, 3, 1, 2])]);
    const entries = output.parsed();
    expect(entries).toHaveLength(8);
    for (const entry of entries) {
      const owner = String(entry.message).split(' ')[0];
      expect(entry).toMatchObject(
        owner === 'alice' ? { userId: 'alice', runId: 'run-a' } : { userId: 'bob', runId: 'run-b' },
      );
    }
  });

  it('merges nested contexts, the inner value winning, and restores the outer one', async () => {
    await withLogContext({ userId: 'u1', runId: 'outer' }, async () => {
      await withLogContext({ runId: 'inner', threadId: 't1' }, async () => {
        await sleep(0);
        log.info('inner');
        expect(getLogContext()).toEqual({ userId: 'u1', runId: 'inner', threadId: 't1' });
      });
      log.info('outer');
    });
    log.info('outside');
    expect(lineWith('inner')).toMatchObject({ userId: 'u1', runId: 'inner', threadId: 't1' });
    expect(lineWith('outer')).toMatchObject({ userId: 'u1', runId: 'outer' });
    expect(lineWith('outer')).not.toHaveProperty('threadId');
    expect(lineWith('outside')).not.toHaveProperty('userId');
  });

  it('lets call fields and child fields override context fields', () => {
    withLogContext({ runId: 'ctx', threadId: 'ctx' }, () => {
      log.child({ threadId: 'child' }).info('override', { runId: 'call' });
    });
    expect(lineWith('override')).toMatchObject({ runId: 'call', threadId: 'child' });
  });

  it('redacts context fields in output but getLogContext returns them as given', () => {
    withLogContext({ connectionId: 'c1', token: 'secret-value' }, () => {
      log.info('with token');
      expect(getLogContext()).toEqual({ connectionId: 'c1', token: 'secret-value' });
      expect(Object.isFrozen(getLogContext())).toBe(true);
    });
    expect(lineWith('with token')).toMatchObject({ connectionId: 'c1', token: '[REDACTED]' });
    expect(output.lines.join('')).not.toContain('secret-value');
  });

  it('returns an empty context outside any flow and tolerates odd fields', () => {
    expect(getLogContext()).toEqual({});
    expect(withLogContext(null as never, () => getLogContext())).toEqual({});
    const hostile = Object.defineProperty({ ok: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    expect(withLogContext(hostile, () => getLogContext())).toEqual({ ok: 1, boom: '[Unreadable]' });
  });
});
