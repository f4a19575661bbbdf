/** A listener for one event type: it gets that type's payload. */
export type Listener<T> = (payload: T) => void;

/**
 * A minimal emitter typed by an event map (`{ name: payload }`). A listener that throws does not
 * stop the others or the emitter's owner: its error is rethrown in a microtask, where the host
 * reports it (the browser console, Node's `uncaughtException`), as `EventTarget` does.
 */
export class TypedEmitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<Listener<never>>>();

  /** Calls `listener` with every `type` event until the returned function is called. */
  on<K extends keyof M>(type: K, listener: Listener<M[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Calls every `type` listener with `payload`, in the order they were added. */
  emit<K extends keyof M>(type: K, payload: M[K]): void {
    const set = this.#listeners.get(type);
    if (!set || set.size === 0) return;
    for (const listener of [...set] as Listener<M[K]>[]) {
      try {
        listener(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** How many listeners `type` has. */
  listenerCount(type: keyof M): number {
    return this.#listeners.get(type)?.size ?? 0;
  }
}
