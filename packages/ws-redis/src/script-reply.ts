import { RedisReplyError } from './errors';
import type { ScriptReply } from './lua-script';

/** The reply as an array, or a `RedisReplyError` naming what was expected. */
export function replyArray(reply: ScriptReply, what: string): ScriptReply[] {
  if (!Array.isArray(reply)) throw new RedisReplyError(`${what}: expected an array`);
  return reply;
}

/** Element `index` as a string. */
export function replyString(reply: readonly ScriptReply[], index: number, what: string): string {
  const value = reply[index];
  if (typeof value !== 'string')
    throw new RedisReplyError(`${what}: item ${index} is not a string`);
  return value;
}

/** Element `index` as an integer (Redis turns Lua numbers into integers). */
export function replyInteger(reply: readonly ScriptReply[], index: number, what: string): number {
  const value = reply[index];
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new RedisReplyError(`${what}: item ${index} is not an integer`);
  }
  return n;
}
