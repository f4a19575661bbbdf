/**
 * The fan-out property (fast-check): random interleavings of connects (fresh, resuming, with a
 * skewed position), disconnects, emits, open-connection resumes (some with a wrong epoch) and
 * slow consumers, for two users, with every engine read under the scheduler's control. Every
 * connection's frames must pass {@link ConnectionSequenceCheck}; at the end every connection
 * still open is live and complete. Run against any engine: ws-core runs it on the in-memory
 * engine, ws-redis on two nodes over a real Redis.
 *
 * Plain test support, imported by relative path.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ConnectionHandle } from '../src/connection';
import { createWebSocketHub } from '../src/hub';
import type { RunEmitter } from '../src/run-emitter';
import type { StreamEngine } from '../src/stream-engine';
import { FakeTransport } from '../src/testing/fake-transport';
import { createUserContext } from '../src/user-context';
import { ConnectionSequenceCheck } from './connection-sequence-check';

/** What the property runs on. */
export interface FanoutPropertyTarget {
  /**
   * The engines of one run, one per node (a hub is made on each), retaining at most
   * {@link PROPERTY_RETENTION} events. Engines may be shared by runs: users are new every run.
   */
  engines(): StreamEngine[] | Promise<StreamEngine[]>;
  /** Called after each run with its engines (e.g. to close engines made for that run). */
  release?(engines: StreamEngine[]): Promise<void>;
  /** fast-check runs. */
  numRuns: number;
  /** How long the final check waits for asynchronous delivery (0 when delivery is synchronous). */
  settleMs: number;
}

/** The retention the property needs, so that resumes also fall outside it. */
export const PROPERTY_RETENTION = Object.freeze({ maxEvents: 12 });

const USER_NAMES = ['ann', 'ben'] as const;

/** One connection as a careful client sees it, with the oracle over its frames. */
class ClientView {
  readonly transport = new FakeTransport();
  readonly check: ConnectionSequenceCheck;
  handle: ConnectionHandle | undefined;
  #checked = 0;

  constructor(
    readonly userId: string,
    connectResume: number | undefined,
    runOwner: ReadonlyMap<string, string>,
  ) {
    this.check = new ConnectionSequenceCheck({
      userId,
      ...(connectResume === undefined ? {} : { connectResume }),
      ownerOf: (runId) => runOwner.get(runId) ?? `an unknown user (run ${runId})`,
    });
  }

  /** Whether the welcome arrived. */
  get welcomed(): boolean {
    return this.check.welcomeSeq !== undefined;
  }

  /** Folds the frames received since the last call into the check. */
  catchUp(): void {
    const frames = this.transport.frames.slice(this.#checked);
    this.#checked += frames.length;
    for (const frame of frames) this.check.frame(frame);
  }
}

type Command =
  | {
      kind: 'connect';
      user: number;
      node: number;
      resume: 'none' | 'previous' | 'skewed';
      skew: number;
    }
  | { kind: 'disconnect'; pick: number }
  | { kind: 'emit'; user: number; count: number }
  | { kind: 'resume'; pick: number; back: number; wrongEpoch: boolean }
  | { kind: 'choke'; pick: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('connect' as const),
      user: fc.nat(USER_NAMES.length - 1),
      node: fc.nat(1),
      resume: fc.constantFrom(
        'none' as const,
        'previous' as const,
        'previous' as const,
        'skewed' as const,
      ),
      skew: fc.integer({ min: -3, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('emit' as const),
      user: fc.nat(USER_NAMES.length - 1),
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('resume' as const),
      pick: fc.nat(),
      back: fc.nat(6),
      wrongEpoch: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('choke' as const), pick: fc.nat() }) },
);

const SCHEDULED_READS: ReadonlySet<PropertyKey> = new Set([
  'position',
  'readSince',
  'subscribe',
  'acquireConnectionSlot',
]);

/**
 * The engine as a hub sees it: while a scheduler is set, every read the hub makes waits for the
 * scheduler's release. A view, not a patch: the engine's own calls to itself (a Redis resync
 * reading the position) are not scheduled, so a scheduled call never waits on another one.
 */
function schedulable(engine: StreamEngine): {
  view: StreamEngine;
  schedule(s: fc.Scheduler | undefined): void;
} {
  let scheduler: fc.Scheduler | undefined;
  const view = new Proxy(engine, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (scheduler === undefined || !SCHEDULED_READS.has(property)) return bound;
      return scheduler.scheduleFunction(bound as (...args: unknown[]) => Promise<unknown>);
    },
  });
  return {
    view,
    schedule(s) {
      scheduler = s;
    },
  };
}

async function settle(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let runCount = 0;

/** One property run: fresh users and hubs, the commands, then the checks. */
async function runCommands(
  target: FanoutPropertyTarget,
  s: fc.Scheduler,
  commands: readonly Command[],
): Promise<void> {
  const run = ++runCount;
  const users = USER_NAMES.map((name) => `${name}-${process.pid}-${Date.now()}-${run}`);
  const engines = await target.engines();
  const schedulables = engines.map(schedulable);
  const hubs = schedulables.map(({ view }, index) =>
    createWebSocketHub({
      serverId: `node-${index}`,
      engine: view,
      retention: PROPERTY_RETENTION,
      limits: { maxConnectionsPerUser: 4, outboundLimitBytes: 100_000 },
      stallTimeoutMs: 3_600_000,
    }),
  );
  const home = hubs[0]!;
  const runOwner = new Map<string, string>();
  const emitters = new Map<string, RunEmitter>();
  const clients: ClientView[] = [];
  const closedClients: ClientView[] = [];
  const open = (): ClientView[] =>
    clients.filter((v) => v.handle !== undefined && !v.handle.closed);
  try {
    for (const userId of users) {
      const emitter = await home
        .getManager(createUserContext({ userId }))
        .startRun({ agent: 'prop', input: '' });
      runOwner.set(emitter.runId, userId);
      emitters.set(userId, emitter);
    }
    for (const engine of schedulables) engine.schedule(s);
    try {
      const step = async (command: Command): Promise<void> => {
        switch (command.kind) {
          case 'emit': {
            const emitter = emitters.get(users[command.user]!)!;
            for (let i = 0; i < command.count; i++) await emitter.thinking(`e${i}`);
            return;
          }
          case 'connect': {
            const userId = users[command.user]!;
            // Resume from where an earlier connection of this user got to (a closed one first).
            const previous = [
              ...clients.filter((v) => !closedClients.includes(v)),
              ...closedClients,
            ]
              .filter((v) => v.userId === userId && v.welcomed)
              .at(-1);
            let resume: { lastSeq: number; epoch: string } | undefined;
            if (command.resume !== 'none' && previous !== undefined) {
              const skew = command.resume === 'skewed' ? command.skew : 0;
              resume = {
                lastSeq: Math.max(0, previous.check.expected - 1 + skew),
                epoch: previous.check.epoch,
              };
            }
            const view = new ClientView(userId, resume?.lastSeq, runOwner);
            clients.push(view);
            const hub = hubs[command.node % hubs.length]!;
            try {
              view.handle = await hub
                .getManager(createUserContext({ userId }))
                .connect(view.transport, { heartbeatMs: 1, resume });
            } catch (error) {
              expect(error).toMatchObject({ code: 'WS_CONNECTION_LIMIT' });
              expect(view.transport.sent).toEqual([]);
            }
            return;
          }
          case 'disconnect': {
            const candidates = open();
            const view = candidates[command.pick % Math.max(1, candidates.length)];
            if (view === undefined) return;
            view.handle!.close();
            closedClients.push(view);
            return;
          }
          case 'resume': {
            const candidates = open();
            const view = candidates[command.pick % Math.max(1, candidates.length)];
            if (view === undefined) return;
            view.catchUp();
            const lastSeq = Math.max(0, view.check.expected - 1 - command.back);
            view.check.resumeRequested(lastSeq);
            await view.handle!.resume(lastSeq, command.wrongEpoch ? 'e_wrong' : view.check.epoch);
            return;
          }
          case 'choke': {
            const candidates = open();
            const view = candidates[command.pick % Math.max(1, candidates.length)];
            if (view !== undefined) view.transport.bufferedAmount = 200_000;
            return;
          }
        }
      };

      const done = commands.map((command) =>
        s.schedule(Promise.resolve(command), command.kind).then(async (c) => {
          await step(c);
          for (const client of clients) client.catchUp();
        }),
      );
      let finished = false;
      const all = Promise.all(done).then(() => (finished = true));
      while (!finished) {
        await s.waitIdle();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await all;
    } finally {
      // Reads a hub started on its own (not awaited by a command) are released too.
      await s.waitIdle();
      for (const engine of schedulables) engine.schedule(undefined);
    }

    // One more event per user: every connection still open must be live and complete.
    const latest = new Map<string, number>();
    for (const userId of users) {
      await emitters.get(userId)!.thinking('final');
      latest.set(userId, (await home.engine.position(userId)).latestSeq);
    }
    const live = (): ClientView[] =>
      clients.filter((v) => v.handle !== undefined && !v.handle.closed && v.welcomed);
    await settle(() => {
      for (const client of clients) client.catchUp();
      return live().every(
        (v) => v.check.pendingResumes === 0 && v.check.expected - 1 === latest.get(v.userId),
      );
    }, target.settleMs);
    for (const view of clients) {
      view.catchUp();
      expect(view.check.problems).toEqual([]);
      expect(view.transport.sendsAfterClose).toBe(0);
      if (view.transport.closeCode !== undefined) expect(view.transport.closeCode).toBe(4000);
    }
    for (const view of live()) {
      expect(view.check.pendingResumes).toBe(0);
      expect(view.check.expected - 1).toBe(latest.get(view.userId));
    }
  } finally {
    await Promise.all(hubs.map((hub) => hub.close()));
    await target.release?.(engines);
  }
}

/**
 * Checks the fan-out property on `target`: each connection gets only its user's events, in
 * `seq` order, no gap, no repeat outside an open-connection replay, every `resumed
 * {complete: true}` preceded by exactly the events `fromSeq … toSeq` once each, and every open
 * connection live and complete at the end.
 */
export async function checkFanoutProperty(target: FanoutPropertyTarget): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(commandArb, { minLength: 5, maxLength: 40 }),
      (s, commands) => runCommands(target, s, commands),
    ),
    { numRuns: target.numRuns },
  );
}
