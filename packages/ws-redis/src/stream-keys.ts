/** Ids that can go into a key as they are; anything else is encoded (see {@link keyPart}). */
const PLAIN_ID = /^[A-Za-z0-9_.@+=-]{1,200}$/;

/**
 * An id as it appears inside a key: itself when it is made of plain characters, otherwise `~`
 * and its base64url form. `~` is not a plain character, so an encoded id never equals a plain
 * one, and `{`, `}` and `:` never reach a key (they would break hash tags and separators).
 */
export function keyPart(id: string): string {
  return PLAIN_ID.test(id) ? id : '~' + Buffer.from(id, 'utf8').toString('base64url');
}

/**
 * The names of every Redis key and channel the engine uses. A user's keys share the hash tag
 * `{user}`, so a user's stream, meta, channel, leases and slots live on one cluster slot.
 */
export interface StreamKeys {
  readonly prefix: string;
  /** Hash: `epoch`, `seq` (latest), `ms` (last entry time), one `w:<server>` per writer node. */
  meta(userId: string): string;
  /** Redis Stream of the retained events; entry id `<ms>-<seq>`, one field `j` (the JSON). */
  events(userId: string): string;
  /** Pub/sub channel of the user's live events: messages `<epoch>|<json>`. */
  live(userId: string): string;
  /** String: the fencing token of the run's current lease, with the lease TTL. */
  lease(userId: string, runId: string): string;
  /** Hash: `owner`, `startedAt`, `threadId` of a running run (what the reaper needs). */
  run(userId: string, runId: string): string;
  /** Sorted set: connection id → expiry (ms). */
  slots(userId: string): string;
  /** Sorted set of every running run (`[userId, runId]` JSON) by lease deadline (ms). */
  readonly runDeadlines: string;
  /** Pub/sub channel of control messages between nodes. */
  readonly control: string;
}

/** Builds the key names under `prefix` (e.g. `ws:`). */
export function createStreamKeys(prefix: string): StreamKeys {
  const user = (userId: string): string => `${prefix}{${keyPart(userId)}}`;
  return {
    prefix,
    meta: (userId) => `${user(userId)}:meta`,
    events: (userId) => `${user(userId)}:events`,
    live: (userId) => `${user(userId)}:live`,
    lease: (userId, runId) => `${user(userId)}:lease:${keyPart(runId)}`,
    run: (userId, runId) => `${user(userId)}:run:${keyPart(runId)}`,
    slots: (userId) => `${user(userId)}:slots`,
    runDeadlines: `${prefix}run-deadlines`,
    control: `${prefix}control`,
  };
}
