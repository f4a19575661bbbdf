import { CRITICAL_EVENTS as CanonicalCriticalEvents } from '@app/ws-protocol';

/**
 * @deprecated Use `CRITICAL_EVENTS` from `'@app/ws-protocol'` (the same array). Removed in 2.0.
 */
export const CRITICAL_EVENTS = CanonicalCriticalEvents;
