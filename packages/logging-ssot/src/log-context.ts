import { sanitizeFields } from './build-entry';
import type { LogFields } from './log-entry';
import { getLoggingState } from './logging-state';
import type { LogContextStore } from './logging-state-shape';
import { readField, setField } from './sanitize-value';

const EMPTY_FIELDS: LogFields = Object.freeze({});

/** A plain copy of the own enumerable fields; a throwing getter yields a marker, not a throw. */
function ownFields(fields: unknown): LogFields {
  if (typeof fields !== 'object' || fields === null) return EMPTY_FIELDS;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) setField(copy, key, readField(fields, key));
  return copy;
}

/**
 * Runs `fn` with `fields` attached to every line logged inside it, by any logger, across
 * awaits, timers and callbacks (AsyncLocalStorage). Nested calls merge, the inner value
 * winning on equal names; concurrent flows never see each other's fields. Fields are
 * sanitized once, on entry; later mutations of the object are not seen.
 * @param fields - e.g. `{ userId, connectionId, runId, threadId, requestId }`.
 * @param fn - the flow to run; its return value (or promise) is returned as is.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  const { context } = getLoggingState();
  const parent = context.getStore();
  let store: LogContextStore | undefined;
  try {
    const own = ownFields(fields);
    store = {
      fields: Object.freeze(parent === undefined ? own : { ...parent.fields, ...own }),
      safe: Object.freeze(Object.assign({}, parent?.safe, sanitizeFields(own))),
    };
  } catch {
    store = parent;
  }
  return store === undefined ? fn() : context.run(store, fn);
}

/**
 * The context fields in effect here, as given to the enclosing `withLogContext` calls (merged,
 * not redacted; frozen). An empty object outside any context.
 */
export function getLogContext(): LogFields {
  return getLoggingState().context.getStore()?.fields ?? EMPTY_FIELDS;
}
