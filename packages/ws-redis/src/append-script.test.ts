import { encodeChatEventParts } from '@app/ws-core';
import { ErrorReply } from 'redis';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestRedisClient, useRedisTestSuite } from '../test-support/redis-test-suite';
import { thinking } from '../test-support/stream-fixtures';
import { appendScript } from './append-script';
import { createStreamKeys } from './stream-keys';

const redis = useRedisTestSuite();
const keys = createStreamKeys(redis.prefix);
let client: TestRedisClient;

beforeAll(async () => {
  client = await redis.client();
});

function append(
  userId: string,
  options: { appendId?: string; token?: string; writer?: string } = {},
) {
  const { head, tail } = encodeChatEventParts(thinking('r_1', 'x'));
  return appendScript.run(
    client,
    [
      keys.meta(userId),
      keys.events(userId),
      keys.lease(userId, 'r_1'),
      keys.run(userId, 'r_1'),
      keys.runDeadlines(userId),
    ],
    [
      head,
      tail,
      1000,
      60_000,
      'e_new',
      keys.live(userId),
      'PUBLISH',
      options.token ?? '',
      '0',
      't_1',
      options.writer ?? 'w:node',
      options.appendId ?? '',
      '[]',
    ],
  );
}

describe('the append script', () => {
  it('answers a retried append id with the seq it already got, without appending twice', async () => {
    const first = await append('alice', { appendId: 'a1' });
    const retry = await append('alice', { appendId: 'a1' });
    expect(first).toEqual(['e_new', 1, 0]);
    expect(retry).toEqual(['e_new', 1, 1]);
    expect(await client.xLen(keys.events('alice'))).toBe(1);
    // Another writer's id, or the next id of the same writer, appends normally.
    expect(await append('alice', { appendId: 'a1', writer: 'w:other' })).toEqual(['e_new', 2, 0]);
    expect(await append('alice', { appendId: 'a2' })).toEqual(['e_new', 3, 0]);
  });

  it('refuses a stale lease token with FENCED, appending nothing', async () => {
    await client.set(keys.lease('bob', 'r_1'), 'l_current');
    const refused = await append('bob', { token: 'l_stale' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ErrorReply);
    expect((refused as Error).message).toMatch(/^FENCED/);
    expect(await client.exists(keys.events('bob'))).toBe(0);
    expect(await append('bob', { token: 'l_current' })).toEqual(['e_new', 1, 0]);
  });

  it('keeps entry ids increasing (time, then seq) and gives every key a TTL', async () => {
    await append('carol');
    await append('carol');
    const entries = await client.xRange(keys.events('carol'), '-', '+');
    const ids = entries.map((e) => e.id.split('-').map(Number));
    expect(ids.map(([, seq]) => seq)).toEqual([1, 2]);
    expect(ids[1]![0]).toBeGreaterThanOrEqual(ids[0]![0]!);
    expect(await client.pTTL(keys.meta('carol'))).toBeGreaterThan(0);
    expect(await client.pTTL(keys.events('carol'))).toBeGreaterThan(0);
  });
});
