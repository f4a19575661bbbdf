import { LIMITS } from '@app/ws-protocol';
import { positive, positiveInteger } from './positive-number';
import type { RetentionSettings } from './stream-engine';

/** Retention of a user stream when none is given: 1000 events, 300000 ms, 1 MiB. */
export const DEFAULT_RETENTION: RetentionSettings = Object.freeze({
  maxEvents: 1000,
  maxAgeMs: 300_000,
  maxBytes: LIMITS.maxResumeBytes,
});

/**
 * Fills in the defaults of {@link DEFAULT_RETENTION} and validates the numbers. Used by the
 * in-memory engine and by the hub, which sits above it. @internal
 * @throws RangeError for a non-positive number (or a fractional `maxEvents`).
 */
export function resolveRetention(retention?: {
  maxEvents?: number;
  maxAgeMs?: number;
  maxBytes?: number;
}): RetentionSettings {
  return Object.freeze({
    maxEvents: positiveInteger(
      'retention.maxEvents',
      retention?.maxEvents,
      DEFAULT_RETENTION.maxEvents,
    ),
    maxAgeMs: positive('retention.maxAgeMs', retention?.maxAgeMs, DEFAULT_RETENTION.maxAgeMs),
    maxBytes: positiveInteger(
      'retention.maxBytes',
      retention?.maxBytes,
      DEFAULT_RETENTION.maxBytes,
    ),
  });
}
