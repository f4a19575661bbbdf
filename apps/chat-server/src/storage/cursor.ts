import { InvalidCursorError } from './history-errors.js';

/** Which listing a cursor belongs to; a cursor of one is refused by the other. */
export type CursorKind = 'threads' | 'messages';

/** The position a cursor names: the last item's time and a tie-breaking id. */
export interface CursorKey {
  /** ISO-8601 with milliseconds, exactly as `Date#toISOString` writes it, of a year 0001 to 9999. */
  readonly at: string;
  /** 1 to 128 characters. */
  readonly id: string;
}

const TAGS: Record<CursorKind, string> = { threads: 't1', messages: 'm1' };
const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Makes the opaque `nextCursor` of a listing: base64url JSON of a kind tag and the key. Clients
 * must not read it; its only use is to come back as `?cursor=`.
 */
export function encodeCursor(kind: CursorKind, key: CursorKey): string {
  return Buffer.from(JSON.stringify([TAGS[kind], key.at, key.id]), 'utf8').toString('base64url');
}

/**
 * Reads a cursor made by {@link encodeCursor} for the same `kind`.
 * @throws InvalidCursorError (`HISTORY_INVALID_CURSOR`) for anything else.
 */
export function decodeCursor(kind: CursorKind, cursor: string): CursorKey {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw new InvalidCursorError();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new InvalidCursorError();
  const [tag, at, id] = parsed as unknown[];
  if (tag !== TAGS[kind]) {
    throw new InvalidCursorError(`cursor does not belong to this listing (${kind})`);
  }
  if (typeof at !== 'string' || !isCanonicalIsoTime(at)) throw new InvalidCursorError();
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new InvalidCursorError();
  return { at, id };
}

/** Years 0001 to 9999: every one of them is a `timestamptz` (docs/security.md#paging-input). */
const FOUR_DIGIT_YEAR = /^(?!0000)\d{4}-/;

function isCanonicalIsoTime(at: string): boolean {
  if (!FOUR_DIGIT_YEAR.test(at)) return false;
  const time = Date.parse(at);
  return Number.isFinite(time) && new Date(time).toISOString() === at;
}

/** The largest `int8` (`bigint` in PostgreSQL). */
const MAX_INT8 = 9_223_372_036_854_775_807n;

/**
 * True when `id` is a non-negative `int8` in decimal: the position of a messages cursor.
 * Larger numbers reach PostgreSQL as an out-of-range error, never as a position.
 */
export function isInt8Position(id: string): boolean {
  return /^\d{1,19}$/.test(id) && BigInt(id) <= MAX_INT8;
}
