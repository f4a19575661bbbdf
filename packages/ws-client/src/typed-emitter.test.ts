import { afterEach, describe, expect, it, vi } from 'vitest';
import { TypedEmitter } from './typed-emitter.js';

interface Events {
  count: number;
  name: string;
}

describe('TypedEmitter', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('calls the listeners of a type in order, with the payload', () => {
    const emitter = new TypedEmitter<Events>();
    const calls: string[] = [];
    emitter.on('count', (n) => calls.push(`a${n}`));
    emitter.on('count', (n) => calls.push(`b${n}`));
    emitter.on('name', (s) => calls.push(s));
    emitter.emit('count', 1);
    emitter.emit('name', 'x');
    expect(calls).toEqual(['a1', 'b1', 'x']);
  });

  it('returns an unsubscribe function', () => {
    const emitter = new TypedEmitter<Events>();
    const listener = vi.fn();
    const off = emitter.on('count', listener);
    emitter.emit('count', 1);
    off();
    off();
    emitter.emit('count', 2);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(emitter.listenerCount('count')).toBe(0);
  });

  it('keeps calling the other listeners when one throws, and rethrows its error in a microtask', () => {
    const deferred: (() => void)[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) =>
      deferred.push(callback),
    );
    const emitter = new TypedEmitter<Events>();
    const after = vi.fn();
    emitter.on('count', () => {
      throw new Error('listener bug');
    });
    emitter.on('count', after);
    expect(() => emitter.emit('count', 1)).not.toThrow();
    expect(after).toHaveBeenCalledWith(1);
    expect(deferred).toHaveLength(1);
    expect(deferred[0]).toThrow('listener bug');
  });

  it('lets a listener unsubscribe another during an emit without skipping the current round', () => {
    const emitter = new TypedEmitter<Events>();
    const second = vi.fn();
    let offSecond = () => {};
    emitter.on('count', () => offSecond());
    offSecond = emitter.on('count', second);
    emitter.emit('count', 1);
    emitter.emit('count', 2);
    expect(second).toHaveBeenCalledTimes(1);
  });
});
