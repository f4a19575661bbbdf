import { describe, expect, it } from 'vitest';
import { createStreamKeys, keyPart } from './stream-keys';

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
      keys.lease('bob', 'r1'),
      keys.run('bob', 'r1'),
      keys.slots('bob'),
    ];
    for (const key of tagged) expect(key.startsWith('ws:{bob}:')).toBe(true);
    expect(new Set(tagged).size).toBe(tagged.length);
    expect(keys.meta('a}b')).toBe(`ws:{${keyPart('a}b')}}:meta`);
  });
});
