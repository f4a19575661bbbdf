import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetainedEvents } from './retained-events';

describe('RetainedEvents', () => {
  it('behaves like a bounded FIFO of strings (model-based)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant('push' as const),
              text: fc.string({ unit: 'binary', maxLength: 3000 }),
            }),
            fc.record({ op: fc.constant('shift' as const) }),
          ),
          { maxLength: 300 },
        ),
        (capacity, ops) => {
          const retained = new RetainedEvents(capacity);
          const model: { text: string; time: number }[] = [];
          ops.forEach((op, time) => {
            if (op.op === 'push') {
              retained.push(op.text, time);
              model.push({ text: op.text, time });
              if (model.length > capacity) model.shift();
            } else {
              retained.shift();
              model.shift();
            }
            expect(retained.size).toBe(model.length);
            expect(retained.firstTime()).toBe(model[0]?.time);
          });
          model.forEach((entry, i) => expect(retained.textAt(i)).toBe(entry.text));
          expect(retained.textAt(model.length)).toBeUndefined();
        },
      ),
    );
  });

  it('frees chunks once their entries left, keeping memory proportional to what is retained', () => {
    const retained = new RetainedEvents(10);
    const text = 'x'.repeat(1000);
    for (let i = 0; i < 10_000; i++) retained.push(text, i);
    expect(retained.size).toBe(10);
    // 10 entries of 1000 bytes: at most a few 64 KiB chunks, whatever went through.
    expect(retained.bytes).toBeLessThanOrEqual(2 * 64 * 1024 + 3000);
    while (retained.size > 0) retained.shift();
    expect(retained.bytes).toBeLessThanOrEqual(64 * 1024);
  });
});
