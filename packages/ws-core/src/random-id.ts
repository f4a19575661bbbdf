import { randomBytes } from 'node:crypto';

/** Pre-fetched random bytes, so an id costs no syscall on the hot path. */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * A random, URL-safe id with a type prefix (`c_`, `r_`, `t_`, `m_`, `e_`, …): 16 random bytes
 * (128 bits) in base64url.
 */
export function randomId(prefix: string): string {
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + 16);
  offset += 16;
  return prefix + id;
}
