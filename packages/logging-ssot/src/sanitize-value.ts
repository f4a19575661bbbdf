import { types } from 'node:util';
import type { SerializedError } from './log-entry';
import { REDACTED, redactString } from './redact-string';
import { isSensitiveKey } from './sensitive-key';

/** Objects nested deeper than this are written as `[Object]` / `[Array]`. */
export const MAX_DEPTH = 8;
/** Arrays keep this many items, then a `…[truncated, N items]` marker. */
export const MAX_ARRAY_ITEMS = 100;
/** Objects keep this many keys, then a `…` key noting how many were dropped. */
export const MAX_OBJECT_KEYS = 100;
/** Objects and arrays visited per log call; past it, values become `[Truncated]`. */
const MAX_NODES = 1000;

/**
 * The state of one sanitizing pass: the objects on the current path (to spot cycles without
 * mistaking a shared reference for one) and how many containers may still be visited, so a
 * huge graph (a socket, a request) costs a bounded amount of work.
 */
class SanitizeWalk {
  readonly ancestors: object[] = [];
  budget = MAX_NODES;
}

type Container = Record<string, unknown>;

/** Assigns without letting a `__proto__` key replace the prototype of the copy. */
export function setField(target: Container, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true });
  } else {
    target[key] = value;
  }
}

/** Reads a property, turning a throwing getter into a marker value. */
export function readField(source: object, key: PropertyKey): unknown {
  try {
    return (source as Record<PropertyKey, unknown>)[key];
  } catch {
    return '[Unreadable]';
  }
}

/** Whether `value` is an `Error`, including one from another realm (vm, worker message). */
export function isError(value: object): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

function describeFunction(fn: unknown): string {
  const name = readField(fn as object, 'name');
  return typeof name === 'string' && name !== '' ? `[Function ${name}]` : '[Function]';
}

/**
 * Returns a JSON-safe, redacted copy of `value`: strings redacted and truncated, values under
 * credential keys replaced by `[REDACTED]` (null and undefined are kept), errors serialized,
 * BigInt and symbols turned into strings, cycles, depth and size bounded. Never throws and
 * never mutates its input.
 * @param value - anything a caller put in the fields.
 */
export function sanitizeValue(value: unknown): unknown {
  return sanitizeNested(value, 0, undefined);
}

/**
 * The value to write under a field named `key` (top level or nested): redacted outright when
 * the key names a credential, otherwise sanitized.
 */
export function sanitizeField(key: string, value: unknown): unknown {
  if (value !== null && value !== undefined && isSensitiveKey(key)) return REDACTED;
  return sanitizeValue(value);
}

function sanitizeOther(value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'symbol':
      return redactString(value.toString());
    case 'function':
      return describeFunction(value);
    default:
      return String(value);
  }
}

/** `walk` is created at the first object, so a primitive costs no allocation. */
function sanitizeNested(value: unknown, depth: number, walk: SanitizeWalk | undefined): unknown {
  switch (typeof value) {
    case 'string':
      return redactString(value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'object':
      return value === null ? null : sanitizeObject(value, depth, walk ?? new SanitizeWalk());
    default:
      return sanitizeOther(value);
  }
}

function sanitizeObject(value: object, depth: number, walk: SanitizeWalk): unknown {
  const { ancestors } = walk;
  if (ancestors.includes(value)) return '[Circular]';
  if (walk.budget <= 0) return '[Truncated]';
  walk.budget -= 1;
  ancestors.push(value);
  try {
    if (isError(value)) return serializeErrorWith(value, depth, walk);
    if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
    if (Array.isArray(value)) return sanitizeArray(value, depth, walk);
    if (value instanceof Date) {
      return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    }
    if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
    if (value instanceof ArrayBuffer) return `[ArrayBuffer ${value.byteLength} bytes]`;
    if (value instanceof Map) return sanitizeEntries(value.entries(), value.size, depth, walk);
    if (value instanceof Set) return sanitizeArray([...value], depth, walk);
    const toJSON = readField(value, 'toJSON');
    if (typeof toJSON === 'function') {
      return sanitizeNested((toJSON as () => unknown).call(value), depth + 1, walk);
    }
    return sanitizeRecord(value, depth, walk);
  } catch {
    return '[Unserializable]';
  } finally {
    ancestors.pop();
  }
}

function sanitizeArray(items: readonly unknown[], depth: number, walk: SanitizeWalk): unknown[] {
  const count = Math.min(items.length, MAX_ARRAY_ITEMS);
  const copy: unknown[] = new Array<unknown>(count);
  for (let index = 0; index < count; index += 1) {
    copy[index] = sanitizeNested(readField(items, index), depth + 1, walk);
  }
  if (items.length > count) copy.push(`…[truncated, ${items.length} items]`);
  return copy;
}

function sanitizeRecord(value: object, depth: number, walk: SanitizeWalk): Container {
  const keys = Object.keys(value);
  const copy: Container = {};
  const count = Math.min(keys.length, MAX_OBJECT_KEYS);
  for (let index = 0; index < count; index += 1) {
    const key = keys[index] as string;
    const field = readField(value, key);
    const safe =
      field !== null && field !== undefined && isSensitiveKey(key)
        ? REDACTED
        : sanitizeNested(field, depth + 1, walk);
    setField(copy, key, safe);
  }
  if (keys.length > count) copy['…'] = `[truncated, ${keys.length} keys]`;
  return copy;
}

function sanitizeEntries(
  entries: Iterable<[unknown, unknown]>,
  size: number,
  depth: number,
  walk: SanitizeWalk,
): Container {
  const copy: Container = {};
  let count = 0;
  for (const [rawKey, field] of entries) {
    if (count === MAX_OBJECT_KEYS) {
      copy['…'] = `[truncated, ${size} keys]`;
      break;
    }
    count += 1;
    const key = typeof rawKey === 'string' ? rawKey : String(sanitizeNested(rawKey, depth, walk));
    const safe =
      field !== null && field !== undefined && isSensitiveKey(key)
        ? REDACTED
        : sanitizeNested(field, depth + 1, walk);
    setField(copy, key, safe);
  }
  return copy;
}

/** Text of an error's `message` that is not a string (rare, but errors come from anywhere). */
function primitiveText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return '';
}

function serializeErrorWith(error: Error, depth: number, walk: SanitizeWalk): SerializedError {
  const name = readField(error, 'name');
  const message = readField(error, 'message');
  const serialized: SerializedError = {
    name: typeof name === 'string' && name !== '' ? name : 'Error',
    message: redactString(primitiveText(message)),
  };
  const code = readField(error, 'code');
  if (typeof code === 'string') serialized.code = redactString(code);
  else if (typeof code === 'number') serialized.code = code;
  const stack = readField(error, 'stack');
  if (typeof stack === 'string') serialized.stack = redactString(stack);
  if ('cause' in error) {
    const cause = readField(error, 'cause');
    if (cause !== undefined) {
      serialized.cause = depth >= MAX_DEPTH ? '[Object]' : sanitizeNested(cause, depth + 1, walk);
    }
  }
  return serialized;
}

/**
 * Serializes an error as `{ name, message, code?, stack?, cause? }`, every string redacted and
 * truncated, the cause chain sanitized (cycles become `[Circular]`). Never throws.
 * @param error - the error to serialize.
 */
export function serializeError(error: Error): SerializedError {
  const walk = new SanitizeWalk();
  walk.ancestors.push(error);
  try {
    return serializeErrorWith(error, 0, walk);
  } catch {
    return { name: 'Error', message: '[Unserializable error]' };
  }
}
