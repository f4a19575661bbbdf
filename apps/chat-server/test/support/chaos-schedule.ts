/**
 * The chaos test's seed and drop schedule. Drops happen at points of the users' streams, not at
 * times: "when user 3's stream reaches seq 17, tab 1 loses its socket" or "… the server drops
 * every socket of user 3 on node 1". The same `CHAOS_SEED` therefore gives the same schedule
 * and drops the same sockets at the same points, however loaded the machine is.
 */

let drawnSeed: number | undefined;

/**
 * `CHAOS_SEED` when set (a failing run's seed, to replay it), otherwise a random one drawn once
 * per process: every chaos variant of a run uses the same seed.
 */
export function chaosSeed(): number {
  const fromEnv = process.env.CHAOS_SEED;
  if (fromEnv === undefined || fromEnv === '') {
    drawnSeed ??= Math.floor(Math.random() * 2 ** 31);
    return drawnSeed;
  }
  const seed = Number(fromEnv);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`CHAOS_SEED must be a non-negative integer (got ${JSON.stringify(fromEnv)})`);
  }
  return seed;
}

/** A small seeded PRNG (mulberry32): the same seed, the same numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One planned drop, fired when `user`'s stream reaches `atSeq`. */
export type PlannedDrop =
  | {
      /** The tab's client cuts its socket (no close frame) right after receiving `atSeq`. */
      readonly kind: 'cut';
      readonly user: number;
      readonly atSeq: number;
      readonly tab: number;
    }
  | {
      /**
       * The first tab of the user to receive `atSeq` asks the server (the test hook) to drop
       * every socket of the user: on one node, or on every node (`node: 'all'`).
       */
      readonly kind: 'server';
      readonly user: number;
      readonly atSeq: number;
      readonly node: number | 'all';
    };

/** The shape of a chaos run, which the schedule is drawn for. */
export interface ScheduleShape {
  readonly users: number;
  readonly tabsPerUser: number;
  readonly nodes: number;
  readonly drops: number;
  /** Every user's stream reaches at least this seq (drop points lie in 2 … it). */
  readonly minStreamLength: number;
}

/** Draws `shape.drops` drops from `seed`, sorted by user and seq. */
export function planDrops(seed: number, shape: ScheduleShape): PlannedDrop[] {
  const random = seededRandom(seed);
  const int = (below: number): number => Math.floor(random() * below);
  const drops: PlannedDrop[] = [];
  for (let i = 0; i < shape.drops; i++) {
    const user = int(shape.users);
    const atSeq = 2 + int(Math.max(1, shape.minStreamLength - 1));
    const cut = random() < 0.5;
    const tab = int(shape.tabsPerUser);
    // Every draw is made whatever the others gave, so one seed always gives one schedule.
    const everyNode = random() < 0.4 || shape.nodes === 1;
    const oneNode = int(shape.nodes);
    const node = everyNode ? 'all' : oneNode;
    drops.push(cut ? { kind: 'cut', user, atSeq, tab } : { kind: 'server', user, atSeq, node });
  }
  return drops.sort((a, b) => a.user - b.user || a.atSeq - b.atSeq);
}

/** The schedule as the test prints it. */
export function describeSchedule(drops: readonly PlannedDrop[]): string {
  return drops
    .map((drop) =>
      drop.kind === 'cut'
        ? `  user ${drop.user} at seq ${drop.atSeq}: tab ${drop.tab} cuts its socket`
        : `  user ${drop.user} at seq ${drop.atSeq}: the server drops the user's sockets on ${
            drop.node === 'all' ? 'every node' : `node ${drop.node}`
          }`,
    )
    .join('\n');
}
