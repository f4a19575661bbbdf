import { captureLogs, createLogger, type LogEntry } from '@app/logging-ssot';
import { describe, expect, it } from 'vitest';
import { centralLogger, getUnifiedLogger } from './logger-aliases.js';

/** Runs `log`, returning the captured entries without their timestamps. */
function captured(log: () => void): Omit<LogEntry, 'timestamp'>[] {
  const capture = captureLogs();
  try {
    log();
  } finally {
    capture.stop();
  }
  return capture.entries.map(({ timestamp: _timestamp, ...rest }) => rest);
}

describe('old logger names', () => {
  it('getUnifiedLogger is createLogger itself', () => {
    expect(getUnifiedLogger).toBe(createLogger);
  });

  it('getUnifiedLogger(name) logs exactly as createLogger(name) does', () => {
    const [legacy, canonical] = captured(() => {
      getUnifiedLogger('billing').warn('card declined', { attempt: 2 });
      createLogger('billing').warn('card declined', { attempt: 2 });
    });
    expect(legacy).toMatchObject({ component: 'billing', message: 'card declined', attempt: 2 });
    expect(legacy).toEqual(canonical);
  });

  it("centralLogger logs exactly as createLogger('app') does", () => {
    const [legacy, canonical, other] = captured(() => {
      centralLogger.info('started');
      createLogger('app').info('started');
      createLogger('not-app').info('started');
    });
    expect(legacy).toMatchObject({ component: 'app', message: 'started' });
    expect(legacy).toEqual(canonical);
    expect(legacy).not.toEqual(other);
  });
});
