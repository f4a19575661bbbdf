import { describe, expect, it } from 'vitest';
import { keySlot } from './key-slot';
import { CROSS_USER_SHARDS, createStreamKeys, keyPart } from './stream-keys';

describe('stream keys', () => {
  it('keep plain ids as they are and encode anything that could break a key', () => {
    expect(keyPart('u_alice-1.2@x')).toBe('u_alice-1.2@x');
    for (const id of ['a}b', '{x}', 'a:b', 'a b', 'ä', '']) {
      expect(keyPart(id)).toMatch(/^~[A-Za-z0-9_-]*$/);
    }
    expect(keyPart('a}b')).not.toBe(keyPart('a:b'));
  });

  it('put every key of one user under one hash tag', () => {
    const keys = createStreamKeys('ws:');
    const tagged = [
      keys.meta('bob'),
      keys.events('bob'),
      keys.live('bob'),
      keys.slots('bob'),
      keys.chat('bob', 7),
      keys.chat('bob', '7'),
    ];
    for (const key of tagged) expect(key.startsWith('ws:{u:bob}:')).toBe(true);
    expect(new Set(tagged).size).toBe(tagged.length);
    expect(keys.meta('a}b')).toBe(`ws:{u:${keyPart('a}b')}}:meta`);
    expect(new Set(tagged.map(keySlot)).size).toBe(1);
  });

  it('split what spans users into shards on different slots, a user’s share chosen by its slot', () => {
    const keys = createStreamKeys('ws:');
    expect(keys.runDeadlineShards).toHaveLength(CROSS_USER_SHARDS);
    expect(keys.controlChannels).toHaveLength(CROSS_USER_SHARDS);
    expect(keys.runDeadlineShards[3]).toBe('ws:{rd:3}:run-deadlines');
    expect(keys.controlChannels[3]).toBe('ws:{c:3}:control');
    expect(new Set(keys.runDeadlineShards.map(keySlot)).size).toBe(CROSS_USER_SHARDS);
    const users = Array.from({ length: 400 }, (_, i) => `user-${i}`);
    const used = new Set(users.map((u) => keys.shardOf(u)));
    expect(used.size).toBe(CROSS_USER_SHARDS);
    expect(keys.runDeadlines('bob')).toBe(keys.runDeadlineShards[keys.shardOf('bob')]);
    expect(keys.control('bob')).toBe(keys.controlChannels[keys.shardOf('bob')]);
  });

  it('compute cluster slots as Redis does (hash tags included)', () => {
    // Values from CLUSTER KEYSLOT on Redis 7.
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{}foo')).not.toBe(keySlot('foo'));
    expect(keySlot('123456789')).toBe(12739);
  });
});
