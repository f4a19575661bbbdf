import type { ChatEvent, ServerFrame } from '@app/ws-protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { user, useHubs } from '../test/hub-fixture';
import type { ConnectionHandle } from './connection';
import type { RunEmitter } from './run-emitter';
import type { StreamEngine } from './stream-engine';
import { FakeTransport } from './testing/fake-transport';

const hubs = useHubs();
const USERS = ['ann', 'ben'] as const;

/**
 * What a careful client checks on one connection: only its user's events; `seq` never skips
 * (a gap) and never repeats outside an explicit open-connection resume; `resumed` arithmetic.
 */
class ClientView {
  readonly transport = new FakeTransport();
  handle: ConnectionHandle | undefined;
  /** The next seq this client needs. */
  expected = 0;
  welcomeSeq = -1;
  epoch = '';
  /** Open-connection resumes requested and not yet answered (lastSeq each). */
  readonly openResumes: number[] = [];
  #connectResume: number | undefined;
  #eventsSinceWelcome = 0;
  #checked = 0;
  readonly problems: string[] = [];

  constructor(
    readonly userId: string,
    connectResume: number | undefined,
  ) {
    this.#connectResume = connectResume;
  }

  /** Folds the frames received since the last call into the view. */
  check(runOwner: ReadonlyMap<string, string>): void {
    const frames = this.transport.frames.slice(this.#checked);
    this.#checked += frames.length;
    for (const frame of frames) this.#fold(frame, runOwner);
  }

  #fold(frame: ServerFrame, runOwner: ReadonlyMap<string, string>): void {
    if (frame.type === 'welcome') {
      if (this.welcomeSeq !== -1) this.problems.push('second welcome');
      this.welcomeSeq = frame.seq;
      this.epoch = frame.epoch;
      this.expected = (this.#connectResume ?? frame.seq) + 1;
      return;
    }
    if (frame.type === 'resumed') {
      if (frame.replayed !== frame.toSeq - (frame.fromSeq - 1))
        this.problems.push('replayed arithmetic');
      if (this.#connectResume !== undefined) {
        if (frame.fromSeq !== this.#connectResume + 1) this.problems.push('connect fromSeq');
        if (!frame.complete) {
          if (this.#eventsSinceWelcome > 0)
            this.problems.push('events before an incomplete resumed');
          this.expected = this.welcomeSeq + 1;
        } else if (frame.toSeq !== this.expected - 1) {
          this.problems.push(`connect toSeq ${frame.toSeq} but saw up to ${this.expected - 1}`);
        }
        this.#connectResume = undefined;
        return;
      }
      const lastSeq = this.openResumes.shift();
      if (lastSeq === undefined) this.problems.push('unrequested resumed');
      else if (frame.fromSeq !== lastSeq + 1) this.problems.push('open fromSeq');
      if (frame.complete && frame.toSeq > this.expected - 1)
        this.problems.push('toSeq past what was seen');
      return;
    }
    if (!('seq' in frame)) return;
    const event: ChatEvent = frame;
    this.#eventsSinceWelcome++;
    if (runOwner.get(event.runId) !== this.userId)
      this.problems.push(`foreign event ${event.runId}`);
    if (event.seq === this.expected) this.expected++;
    else if (event.seq > this.expected)
      this.problems.push(`gap: got ${event.seq}, expected ${this.expected}`);
    else if (this.openResumes.length === 0)
      this.problems.push(`repeat: ${event.seq} < ${this.expected}`);
  }
}

type Command =
  | { kind: 'connect'; user: number; resume: 'none' | 'previous' | 'skewed'; skew: number }
  | { kind: 'disconnect'; pick: number }
  | { kind: 'emit'; user: number; count: number }
  | { kind: 'resume'; pick: number; back: number; wrongEpoch: boolean }
  | { kind: 'choke'; pick: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('connect' as const),
      user: fc.nat(USERS.length - 1),
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
      user: fc.nat(USERS.length - 1),
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

/** Delays every read of the engine under the scheduler's control; returns the undo. */
function scheduled(engine: StreamEngine, s: fc.Scheduler): () => void {
  const e = engine as unknown as Record<string, unknown>;
  const names = ['position', 'readSince', 'subscribe', 'acquireConnectionSlot'] as const;
  for (const name of names) {
    const original = (engine[name] as (...args: unknown[]) => Promise<unknown>).bind(engine);
    e[name] = s.scheduleFunction(original);
  }
  return () => {
    for (const name of names) delete e[name];
  };
}

describe('fan-out under random interleavings (property)', () => {
  it('each connection gets only its user’s events, in seq order, no gap, no repeat; resumes end consistent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(commandArb, { minLength: 5, maxLength: 40 }),
        async (s, commands) => {
          const hub = hubs.make({
            retention: { maxEvents: 12 },
            limits: { maxConnectionsPerUser: 4, outboundLimitBytes: 100_000 },
            stallTimeoutMs: 3_600_000,
          });
          const runOwner = new Map<string, string>();
          const emitters = new Map<string, RunEmitter>();
          for (const name of USERS) {
            const emitter = await hub.getManager(user(name)).startRun({ agent: 'prop', input: '' });
            runOwner.set(emitter.runId, name);
            emitters.set(name, emitter);
          }
          const unschedule = scheduled(hub.engine, s);
          const views: ClientView[] = [];
          const closedViews: ClientView[] = [];
          const open = (): ClientView[] =>
            views.filter((v) => v.handle !== undefined && !v.handle.closed);

          const run = async (command: Command): Promise<void> => {
            switch (command.kind) {
              case 'emit': {
                const emitter = emitters.get(USERS[command.user]!)!;
                for (let i = 0; i < command.count; i++) await emitter.thinking(`e${i}`);
                return;
              }
              case 'connect': {
                const userId = USERS[command.user]!;
                // Resume from where an earlier connection of this user got to (a closed one first).
                const previous = [...views.filter((v) => !closedViews.includes(v)), ...closedViews]
                  .filter((v) => v.userId === userId && v.welcomeSeq >= 0)
                  .at(-1);
                let resume: { lastSeq: number; epoch: string } | undefined;
                if (command.resume !== 'none' && previous !== undefined) {
                  const skew = command.resume === 'skewed' ? command.skew : 0;
                  resume = {
                    lastSeq: Math.max(0, previous.expected - 1 + skew),
                    epoch: previous.epoch,
                  };
                }
                const view = new ClientView(userId, resume?.lastSeq);
                views.push(view);
                try {
                  view.handle = await hub
                    .getManager(user(userId))
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
                closedViews.push(view);
                return;
              }
              case 'resume': {
                const candidates = open();
                const view = candidates[command.pick % Math.max(1, candidates.length)];
                if (view === undefined) return;
                view.check(runOwner);
                const lastSeq = Math.max(0, view.expected - 1 - command.back);
                view.openResumes.push(lastSeq);
                await view.handle!.resume(lastSeq, command.wrongEpoch ? 'e_wrong' : view.epoch);
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
              await run(c);
              for (const view of views) view.check(runOwner);
            }),
          );
          let finished = false;
          const all = Promise.all(done).then(() => (finished = true));
          while (!finished) {
            await s.waitIdle();
            await new Promise((resolve) => setImmediate(resolve));
          }
          await all;
          unschedule();

          // One more event per user: every connection still open must be live and complete.
          for (const name of USERS) await emitters.get(name)!.thinking('final');
          for (const view of views) {
            view.check(runOwner);
            expect(view.problems).toEqual([]);
            expect(view.transport.sendsAfterClose).toBe(0);
            if (view.transport.closeCode !== undefined) expect(view.transport.closeCode).toBe(4000);
            if (view.handle !== undefined && !view.handle.closed) {
              const { latestSeq } = await hub.engine.position(view.userId);
              expect(view.expected - 1).toBe(latestSeq);
              expect(view.openResumes).toEqual([]);
            }
          }
          await hub.close();
        },
      ),
      { numRuns: 200 },
    );
  });
});
