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
  options: { appendId?: string; token?: string; writer?: string; now?: number } = {},
) {
  const { head, tail } = encodeChatEventParts(thinking('r_1', 'x'));
  return appendScript.run(
    client,
    [keys.meta(userId), keys.events(userId)],
    [
      head,
      tail,
      1000,
      60_000,
      1 << 20,
      'e_new',
      keys.live(userId),
      'PUBLISH',
      options.now ?? Date.now(),
      options.writer ?? 'w:node',
      options.appendId ?? '',
      'r_1',
      options.token ?? '',
      '0',
      't_1',
      '',
      new Date().toISOString(),
      3_600_000,
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

  it('refuses a stale lease token, or an expired lease, with FENCED, appending nothing', async () => {
    const now = Date.now();
    await client.hSet(keys.meta('bob'), 'l:r_1', `l_current ${now + 10_000} ["node",${now},"",""]`);
    const refused = await append('bob', { token: 'l_stale' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ErrorReply);
    expect((refused as Error).message).toMatch(/^FENCED/);
    const expired = await append('bob', { token: 'l_current', now: now + 10_001 }).catch(
      (e: unknown) => e,
    );
    expect((expired as Error).message).toMatch(/^FENCED/);
    expect(await client.exists(keys.events('bob'))).toBe(0);
    expect(await append('bob', { token: 'l_current', now })).toEqual(['e_new', 1, 0]);
  });

  it('keeps entry ids increasing (time, then seq) and gives every key a TTL', async () => {
    await append('carol');
    await append('carol', { now: Date.now() - 60_000 });
    const entries = await client.xRange(keys.events('carol'), '-', '+');
    const ids = entries.map((e) => e.id.split('-').map(Number));
    expect(ids.map(([, seq]) => seq)).toEqual([1, 2]);
    expect(ids[1]![0]).toBeGreaterThanOrEqual(ids[0]![0]!);
    expect(await client.pTTL(keys.meta('carol'))).toBeGreaterThan(0);
    expect(await client.pTTL(keys.events('carol'))).toBeGreaterThan(0);
  });

  it('gives the stream key an expiry when it is created after the meta (a claim came first)', async () => {
    await client.hSet(keys.meta('dave'), 'x', String(Date.now() + 3_600_000));
    await client.pExpire(keys.meta('dave'), 3_600_000);
    await append('dave');
    expect(await client.pTTL(keys.events('dave'))).toBeGreaterThan(0);
  });
});
