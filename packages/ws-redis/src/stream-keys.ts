import { keySlot } from './key-slot';

/** Ids that can go into a key as they are; anything else is encoded (see {@link keyPart}). */
const PLAIN_ID = /^[A-Za-z0-9_.@+=-]{1,200}$/;

/** Shards of the run-deadline index and of the control channel (docs/scaling.md#rule-8-redis-cluster). */
export const CROSS_USER_SHARDS = 16;

/**
 * An id as it appears inside a key: itself when it is made of plain characters, otherwise `~`
 * and its base64url form. `~` is not a plain character, so an encoded id never equals a plain
 * one, and `{`, `}` and `:` never reach a key (they would break hash tags and separators).
 */
export function keyPart(id: string): string {
  return PLAIN_ID.test(id) ? id : '~' + Buffer.from(id, 'utf8').toString('base64url');
}

/**
 * The names of every Redis key and channel the engine uses (docs/scaling.md#rule-8-redis-cluster).
 *
 * The naming scheme, for every key added to the package:
 * - what belongs to one user is `<prefix>{u:<id>}:<name>[:<part>]` ({@link StreamKeys.user}):
 *   the hash tag `{u:<id>}` puts all of one user's keys on one cluster slot, so a script may
 *   use any of them together;
 * - what spans users is split into {@link CROSS_USER_SHARDS} keys `<prefix>{<kind>:<n>}:<name>`,
 *   a user's share chosen by {@link StreamKeys.shardOf}, so no single slot carries all the
 *   traffic; a script never mixes such a key with a user's keys (they live on other slots).
 */
export interface StreamKeys {
  readonly prefix: string;
  /** `<prefix>{u:<id>}`: the start of every key of the user (append `:<name>`). */
  user(userId: string): string;
  /**
   * Hash: `epoch`, `seq` (latest), `ms` (last entry time), retention counters (`hs`, `bytes`,
   * `be`, `pins`), `x` (the keys' expiry), one `w:<server>` per writer node, and per run: its
   * lease `l:<runId>` and, once it appended, its `welcome.activeRuns` entry `r:<runId>`.
   */
  meta(userId: string): string;
  /** Redis Stream of the retained events; entry id `<ms>-<seq>`, one field `j` (the JSON). */
  events(userId: string): string;
  /** Pub/sub channel of the user's live events: messages `<epoch>|<json>`. */
  live(userId: string): string;
  /** Sorted set: connection id → expiry (ms). */
  slots(userId: string): string;
  /** The cross-user shard (0 … {@link CROSS_USER_SHARDS} − 1) a user's share lives in. */
  shardOf(userId: string): number;
  /** Sorted set of the user's shard of running runs (`[userId, runId]` JSON) by lease deadline (ms). */
  runDeadlines(userId: string): string;
  /** Every shard of the run-deadline index (what a reaper reads). */
  readonly runDeadlineShards: readonly string[];
  /** The control channel (sharded pub/sub when available) carrying messages about the user. */
  control(userId: string): string;
  /** Every control channel (what a node subscribes to). */
  readonly controlChannels: readonly string[];
  /** String: the ack JSON `{runId, threadId}` of a `chat` id, for `chatIdempotencyMs`. */
  chat(userId: string, chatId: string | number): string;
}

/** Builds the key names under `prefix` (e.g. `ws:`). */
export function createStreamKeys(prefix: string): StreamKeys {
  const user = (userId: string): string => `${prefix}{u:${keyPart(userId)}}`;
  const shards = (kind: string, name: string): string[] =>
    Array.from({ length: CROSS_USER_SHARDS }, (_, n) => `${prefix}{${kind}:${n}}:${name}`);
  const runDeadlineShards = shards('rd', 'run-deadlines');
  const controlChannels = shards('c', 'control');
  const shardOf = (userId: string): number => keySlot(user(userId)) % CROSS_USER_SHARDS;
  return {
    prefix,
    user,
    meta: (userId) => `${user(userId)}:meta`,
    events: (userId) => `${user(userId)}:events`,
    live: (userId) => `${user(userId)}:live`,
    slots: (userId) => `${user(userId)}:slots`,
    shardOf,
    runDeadlines: (userId) => runDeadlineShards[shardOf(userId)]!,
    runDeadlineShards,
    control: (userId) => controlChannels[shardOf(userId)]!,
    controlChannels,
    chat: (userId, chatId) => `${user(userId)}:chat:${keyPart(`${typeof chatId}:${chatId}`)}`,
  };
}
