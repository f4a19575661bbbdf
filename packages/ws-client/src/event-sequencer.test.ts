import { describe, expect, it } from 'vitest';
import type { ResumedFrame } from '@app/ws-protocol';
import { EventSequencer } from './event-sequencer.js';

function resumed(
  fields: Partial<ResumedFrame> & { complete: boolean; fromSeq: number; toSeq: number },
): ResumedFrame {
  return {
    type: 'resumed',
    replayed: fields.toSeq - (fields.fromSeq - 1),
    oldestSeq: 1,
    latestSeq: fields.toSeq,
    ...fields,
  };
}

/** Feeds seqs and returns the ones delivered. */
function feed(sequencer: EventSequencer, ...seqs: number[]): number[] {
  return seqs.filter((seq) => sequencer.event(seq).deliver);
}

describe('EventSequencer', () => {
  it('starts at welcome.seq without a position and delivers in order', () => {
    const sequencer = new EventSequencer();
    expect(sequencer.position).toBeUndefined();
    sequencer.welcome({ epoch: 'e1', seq: 41 });
    expect(sequencer.position).toEqual({ lastSeq: 41, epoch: 'e1' });
    expect(feed(sequencer, 42, 43, 44)).toEqual([42, 43, 44]);
    expect(sequencer.position).toEqual({ lastSeq: 44, epoch: 'e1' });
  });

  it('ignores events before any welcome', () => {
    const sequencer = new EventSequencer();
    expect(sequencer.event(1)).toEqual({ deliver: false });
  });

  it('drops repeats: seq <= lastSeq', () => {
    const sequencer = new EventSequencer();
    sequencer.welcome({ epoch: 'e1', seq: 0 });
    expect(feed(sequencer, 1, 2, 1, 2, 3, 3)).toEqual([1, 2, 3]);
    expect(sequencer.event(2)).toEqual({ deliver: false }); // a repeat is no gap: no resume
  });

  it('turns a gap into one resume request, drops what follows, and fills it from the replay', () => {
    const sequencer = new EventSequencer();
    sequencer.welcome({ epoch: 'e1', seq: 0 });
    feed(sequencer, 1, 2);
    expect(sequencer.event(4)).toEqual({ deliver: false, resume: { lastSeq: 2, epoch: 'e1' } });
    expect(sequencer.event(5)).toEqual({ deliver: false }); // resume in flight: no second request
    // The replay repeats everything after 2, in order.
    expect(feed(sequencer, 3, 4, 5)).toEqual([3, 4, 5]);
    expect(sequencer.resumed(resumed({ complete: true, fromSeq: 3, toSeq: 5 }))).toEqual({
      deliver: false,
    });
    expect(feed(sequencer, 5, 6)).toEqual([6]);
  });

  it('asks again when a gap after a resume finds the previous one answered', () => {
    const sequencer = new EventSequencer();
    sequencer.welcome({ epoch: 'e1', seq: 0 });
    expect(sequencer.event(2).resume).toEqual({ lastSeq: 0, epoch: 'e1' });
    feed(sequencer, 1, 2);
    sequencer.resumed(resumed({ complete: true, fromSeq: 1, toSeq: 2 }));
    expect(sequencer.event(9).resume).toEqual({ lastSeq: 2, epoch: 'e1' });
  });

  it('re-requests when a complete replay ended beyond what was delivered', () => {
    const sequencer = new EventSequencer();
    sequencer.welcome({ epoch: 'e1', seq: 0 });
    sequencer.event(3); // gap: resume requested
    feed(sequencer, 1, 3); // 2 lost in transit
    expect(sequencer.resumed(resumed({ complete: true, fromSeq: 1, toSeq: 3 }))).toEqual({
      deliver: false,
      resume: { lastSeq: 1, epoch: 'e1' },
    });
  });

  it('lets the next gap ask again after a refused resume', () => {
    const sequencer = new EventSequencer();
    sequencer.welcome({ epoch: 'e1', seq: 0 });
    expect(sequencer.event(3).resume).toBeDefined();
    expect(sequencer.event(4).resume).toBeUndefined();
    sequencer.resumeFailed();
    expect(sequencer.event(5).resume).toEqual({ lastSeq: 0, epoch: 'e1' });
  });

  describe('connect-time resume', () => {
    function reconnected(lastSeq: number, welcome: { epoch: string; seq: number }): EventSequencer {
      const sequencer = new EventSequencer({ lastSeq, epoch: 'e1' });
      sequencer.welcome(welcome);
      return sequencer;
    }

    it('keeps the held position and delivers the replay without repeats when complete', () => {
      const sequencer = reconnected(5, { epoch: 'e1', seq: 8 });
      expect(sequencer.position).toEqual({ lastSeq: 5, epoch: 'e1' });
      expect(feed(sequencer, 5, 6, 7, 8)).toEqual([6, 7, 8]);
      expect(sequencer.resumed(resumed({ complete: true, fromSeq: 6, toSeq: 8 }))).toEqual({
        deliver: false,
      });
      expect(feed(sequencer, 9)).toEqual([9]);
    });

    it('does not request a resume for a gap while the replay runs', () => {
      const sequencer = reconnected(5, { epoch: 'e1', seq: 8 });
      expect(sequencer.event(7)).toEqual({ deliver: false });
      expect(sequencer.resumed(resumed({ complete: true, fromSeq: 6, toSeq: 8 })).resume).toEqual({
        lastSeq: 5,
        epoch: 'e1',
      });
    });

    it('resets to welcome.seq when the resume is incomplete (same epoch, retention passed)', () => {
      const sequencer = reconnected(5, { epoch: 'e1', seq: 2000 });
      const outcome = sequencer.resumed(
        resumed({ complete: false, fromSeq: 6, toSeq: 5, oldestSeq: 1000 }),
      );
      expect(outcome.reset).toEqual({
        epoch: 'e1',
        seq: 2000,
        previous: { lastSeq: 5, epoch: 'e1' },
        cause: 'incomplete_resume',
      });
      expect(sequencer.position).toEqual({ lastSeq: 2000, epoch: 'e1' });
      expect(feed(sequencer, 2000, 2001)).toEqual([2001]);
    });

    it('resets once to the new epoch when the welcome names another epoch', () => {
      const sequencer = reconnected(5, { epoch: 'e2', seq: 3 });
      expect(sequencer.position).toEqual({ lastSeq: 5, epoch: 'e1' }); // decided by `resumed`
      const outcome = sequencer.resumed(resumed({ complete: false, fromSeq: 6, toSeq: 5 }));
      expect(outcome.reset).toMatchObject({ epoch: 'e2', seq: 3, cause: 'epoch_changed' });
      expect(feed(sequencer, 4)).toEqual([4]);
    });

    it('resets at the first event of a new epoch when no resumed came first, and not again after', () => {
      const sequencer = reconnected(5, { epoch: 'e2', seq: 3 });
      const outcome = sequencer.event(4);
      expect(outcome.reset).toMatchObject({ epoch: 'e2', seq: 3, cause: 'epoch_changed' });
      expect(outcome.deliver).toBe(true);
      expect(
        sequencer.resumed(resumed({ complete: false, fromSeq: 6, toSeq: 5 })).reset,
      ).toBeUndefined();
      expect(sequencer.position).toEqual({ lastSeq: 4, epoch: 'e2' });
    });

    it('adopts a new epoch without a reset when a complete resume follows', () => {
      const sequencer = reconnected(5, { epoch: 'e2', seq: 5 });
      expect(
        sequencer.resumed(resumed({ complete: true, fromSeq: 6, toSeq: 5 })).reset,
      ).toBeUndefined();
      expect(sequencer.position).toEqual({ lastSeq: 5, epoch: 'e2' });
    });

    it('forgets an unanswered connect-time resume when the connection closes', () => {
      const sequencer = reconnected(5, { epoch: 'e1', seq: 9 });
      sequencer.connectionClosed();
      sequencer.welcome({ epoch: 'e1', seq: 9 });
      expect(feed(sequencer, 6)).toEqual([6]);
    });
  });

  describe('incomplete resume on an open connection', () => {
    it('resets to toSeq when retained events were replayed', () => {
      const sequencer = new EventSequencer();
      sequencer.welcome({ epoch: 'e1', seq: 10 });
      sequencer.event(15);
      const outcome = sequencer.resumed(
        resumed({
          complete: false,
          fromSeq: 11,
          toSeq: 1500,
          replayed: 1000,
          oldestSeq: 501,
          latestSeq: 1500,
        }),
      );
      expect(outcome.reset).toMatchObject({ epoch: 'e1', seq: 1500, cause: 'incomplete_resume' });
      expect(feed(sequencer, 1501)).toEqual([1501]);
    });

    it('resets to latestSeq when nothing was retained to replay', () => {
      const sequencer = new EventSequencer();
      sequencer.welcome({ epoch: 'e1', seq: 10 });
      sequencer.event(15);
      const outcome = sequencer.resumed(
        resumed({
          complete: false,
          fromSeq: 11,
          toSeq: 10,
          replayed: 0,
          oldestSeq: 21,
          latestSeq: 20,
        }),
      );
      expect(outcome.reset).toMatchObject({ seq: 20, previous: { lastSeq: 10, epoch: 'e1' } });
    });
  });
});

describe('EventSequencer, joining mid-run', () => {
  const run = (firstSeq: number) => ({ firstSeq });

  it('without a position, asks for the replay from before the oldest run in flight', () => {
    const sequencer = new EventSequencer();
    expect(sequencer.welcome({ epoch: 'e1', seq: 50, activeRuns: [run(40), run(30)] })).toEqual({
      deliver: false,
      resume: { lastSeq: 29, epoch: 'e1' },
      catchUp: true,
    });
    expect(sequencer.position).toEqual({ lastSeq: 29, epoch: 'e1' });
    // Live events before the replay are a gap with the resume in flight: dropped, not re-asked.
    expect(sequencer.event(51)).toEqual({ deliver: false });
    // The replay: 30..51, then live from 52, each once.
    expect(feed(sequencer, ...Array.from({ length: 22 }, (_, i) => 30 + i), 51, 52)).toEqual(
      Array.from({ length: 23 }, (_, i) => 30 + i),
    );
    expect(sequencer.resumed(resumed({ complete: true, fromSeq: 30, toSeq: 51 }))).toEqual({
      deliver: false,
    });
    expect(sequencer.position).toEqual({ lastSeq: 52, epoch: 'e1' });
  });

  it('asks again when the catch-up replay ended beyond what was delivered', () => {
    const sequencer = new EventSequencer();
    sequencer.welcome({ epoch: 'e1', seq: 5, activeRuns: [run(3)] });
    feed(sequencer, 3, 4);
    expect(sequencer.resumed(resumed({ complete: true, fromSeq: 3, toSeq: 6 }))).toEqual({
      deliver: false,
      resume: { lastSeq: 4, epoch: 'e1' },
    });
  });

  it('resets to the end of an incomplete catch-up replay', () => {
    const sequencer = new EventSequencer();
    sequencer.welcome({ epoch: 'e1', seq: 9, activeRuns: [run(2)] });
    expect(sequencer.resumed(resumed({ complete: false, fromSeq: 2, toSeq: 9 }))).toEqual({
      deliver: false,
      reset: {
        epoch: 'e1',
        seq: 9,
        previous: { lastSeq: 1, epoch: 'e1' },
        cause: 'incomplete_resume',
      },
    });
    expect(feed(sequencer, 10)).toEqual([10]);
  });

  it('catches up on nothing without runs in flight, or when none started before welcome.seq', () => {
    for (const activeRuns of [[], undefined, [run(8)], [run(Number.NaN)], [run(0)]]) {
      const sequencer = new EventSequencer();
      expect(sequencer.welcome({ epoch: 'e1', seq: 7, ...(activeRuns && { activeRuns }) })).toEqual(
        { deliver: false },
      );
      expect(sequencer.position).toEqual({ lastSeq: 7, epoch: 'e1' });
    }
  });

  it('with a position, resumes at connect as before and catches up on nothing more when complete', () => {
    const sequencer = new EventSequencer({ lastSeq: 20, epoch: 'e1' });
    expect(sequencer.welcome({ epoch: 'e1', seq: 25, activeRuns: [run(10)] })).toEqual({
      deliver: false,
    });
    expect(feed(sequencer, 21, 22, 23, 24, 25)).toEqual([21, 22, 23, 24, 25]);
    expect(sequencer.resumed(resumed({ complete: true, fromSeq: 21, toSeq: 25 }))).toEqual({
      deliver: false,
    });
  });

  it('after an incomplete connect-time resume, resets to before the oldest run and catches up', () => {
    const sequencer = new EventSequencer({ lastSeq: 3, epoch: 'e1' });
    sequencer.welcome({ epoch: 'e1', seq: 40, activeRuns: [run(35)] });
    expect(sequencer.resumed(resumed({ complete: false, fromSeq: 4, toSeq: 3 }))).toEqual({
      deliver: false,
      reset: {
        epoch: 'e1',
        seq: 34,
        previous: { lastSeq: 3, epoch: 'e1' },
        cause: 'incomplete_resume',
      },
      resume: { lastSeq: 34, epoch: 'e1' },
      catchUp: true,
    });
    expect(feed(sequencer, 41, 35, 36)).toEqual([35, 36]);
  });

  it('after an incomplete resume into a new epoch, catches up in that epoch', () => {
    const sequencer = new EventSequencer({ lastSeq: 3, epoch: 'e1' });
    sequencer.welcome({ epoch: 'e2', seq: 6, activeRuns: [run(5)] });
    const outcome = sequencer.resumed(resumed({ complete: false, fromSeq: 4, toSeq: 3 }));
    expect(outcome.reset).toMatchObject({ epoch: 'e2', seq: 4, cause: 'epoch_changed' });
    expect(outcome.resume).toEqual({ lastSeq: 4, epoch: 'e2' });
  });
});
