import type { Tool, ToolOutcome } from './tool.js';

/**
 * Longest `timeZone` accepted, in characters: IANA names are at most about 30; the bound keeps a
 * call cheap whatever a model writes (docs/security.md#busy-event-loop).
 */
export const MAX_TIME_ZONE_LENGTH = 64;

/** What the clock reports. */
export interface ClockReading {
  /** The instant, ISO-8601 UTC. */
  iso: string;
  timeZone: string;
  /** `YYYY-MM-DD` in `timeZone`. */
  date: string;
  /** `HH:MM:SS` (24 h) in `timeZone`. */
  time: string;
  weekday: string;
}

/** Reads `now` in `timeZone` (an IANA name). Throws a RangeError for an unknown time zone. */
export function readClock(now: Date, timeZone: string): ClockReading {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'long',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return {
    iso: now.toISOString(),
    timeZone,
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}:${part('second')}`,
    weekday: part('weekday'),
  };
}

/**
 * `clock`: the current date and time, in UTC or the IANA `args.timeZone`.
 *
 * @param now the clock to read; tests pass a fixed one
 */
export function createClockTool(now: () => Date = () => new Date()): Tool {
  return {
    name: 'clock',
    description: 'Tells the current date and time, in UTC or in the given IANA time zone.',
    parameters: {
      type: 'object',
      properties: {
        timeZone: {
          type: 'string',
          description: 'IANA time zone such as "Europe/Paris"; default UTC',
        },
      },
      additionalProperties: false,
    },
    execute(args): ToolOutcome {
      const timeZone = args.timeZone ?? 'UTC';
      if (typeof timeZone !== 'string') {
        return {
          ok: false,
          error: { code: 'invalid_arguments', message: 'timeZone must be a string' },
        };
      }
      if (timeZone.length > MAX_TIME_ZONE_LENGTH) {
        return {
          ok: false,
          error: {
            code: 'invalid_time_zone',
            message: `timeZone must be at most ${MAX_TIME_ZONE_LENGTH} characters`,
          },
        };
      }
      try {
        return { ok: true, result: readClock(now(), timeZone) };
      } catch (error) {
        if (error instanceof RangeError) {
          return {
            ok: false,
            error: { code: 'invalid_time_zone', message: `Unknown time zone "${timeZone}"` },
          };
        }
        throw error;
      }
    },
  };
}
