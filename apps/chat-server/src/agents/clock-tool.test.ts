import { describe, expect, it } from 'vitest';
import { MAX_TIME_ZONE_LENGTH, createClockTool, readClock } from './clock-tool.js';

describe('clock tool', () => {
  const instant = new Date('2026-11-22T07:05:09.000Z');

  it('reads UTC by default', async () => {
    expect(await createClockTool(() => instant).execute({})).toEqual({
      ok: true,
      result: {
        iso: '2026-11-22T07:05:09.000Z',
        timeZone: 'UTC',
        date: '2026-11-22',
        time: '07:05:09',
        weekday: 'Sunday',
      },
    });
  });

  it('reads another time zone', () => {
    expect(readClock(instant, 'Asia/Tokyo')).toMatchObject({
      date: '2026-11-22',
      time: '16:05:09',
    });
    expect(readClock(new Date('2026-11-22T23:30:00Z'), 'Asia/Tokyo')).toMatchObject({
      date: '2026-11-23',
      time: '08:30:00',
      weekday: 'Monday',
    });
  });

  it('fails on an unknown time zone', async () => {
    expect(await createClockTool(() => instant).execute({ timeZone: 'Mars/Olympus' })).toEqual({
      ok: false,
      error: { code: 'invalid_time_zone', message: 'Unknown time zone "Mars/Olympus"' },
    });
  });

  it('refuses a time zone longer than any IANA name without reading the clock', async () => {
    const outcome = await createClockTool(() => {
      throw new Error('the clock must not be read');
    }).execute({ timeZone: 'x'.repeat(MAX_TIME_ZONE_LENGTH + 1) });
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'invalid_time_zone',
        message: `timeZone must be at most ${MAX_TIME_ZONE_LENGTH} characters`,
      },
    });
  });
});
