import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectLines, type CollectedLines } from '../test/collect-lines';
import {
  captureLogs,
  configureLogging,
  createLogger,
  LoggingConfigError,
  withLogContext,
} from './index';

let output: CollectedLines;
const log = createLogger('capture-test');

beforeEach(() => {
  output = collectLines({ level: 'info' });
});
afterEach(() => {
  output.restore();
});

describe('captureLogs', () => {
  it('records structured entries while active and still writes them', () => {
    const capture = captureLogs();
    withLogContext({ userId: 'u1' }, () => log.info('hello', { runId: 'r1' }));
    log.debug('below level');
    capture.stop();
    log.info('after stop');

    expect(capture.entries).toHaveLength(1);
    expect(capture.entries[0]).toMatchObject({
      severity: 'INFO',
      message: 'hello',
      component: 'capture-test',
      userId: 'u1',
      runId: 'r1',
    });
    expect(output.parsed().map((entry) => entry.message)).toEqual(['hello', 'after stop']);
  });

  it('captures exactly what the json line holds, redacted', () => {
    const capture = captureLogs();
    log.error('auth failed', { token: 'tok-1', error: new Error('bad Bearer abc123') });
    capture.stop();
    expect(JSON.parse(JSON.stringify(capture.entries[0]))).toEqual(output.parsed()[0]);
    expect(JSON.stringify(capture.entries)).not.toMatch(/tok-1|abc123/);
  });

  it('enables a more verbose level for the capture only', () => {
    const capture = captureLogs({ level: 'debug' });
    expect(log.isLevelEnabled('debug')).toBe(true);
    log.debug('debug detail');
    log.info('info line');
    capture.stop();
    expect(log.isLevelEnabled('debug')).toBe(false);
    log.debug('not captured');

    expect(capture.entries.map((entry) => entry.message)).toEqual(['debug detail', 'info line']);
    expect(output.parsed().map((entry) => entry.message)).toEqual(['info line']);
  });

  it('follows the configured level when it has none of its own', () => {
    const capture = captureLogs();
    configureLogging({ level: 'debug' });
    log.debug('now enabled');
    capture.stop();
    expect(capture.entries.map((entry) => entry.message)).toEqual(['now enabled']);
  });

  it('keeps lines from the destination when silent', () => {
    const capture = captureLogs({ silent: true });
    log.warn('quiet');
    capture.stop();
    log.warn('loud');
    expect(capture.entries).toHaveLength(1);
    expect(output.parsed().map((entry) => entry.message)).toEqual(['loud']);
  });

  it('supports several captures at once and an idempotent stop', () => {
    const outer = captureLogs();
    const inner = captureLogs({ level: 'debug' });
    log.debug('d');
    log.info('i');
    inner.stop();
    inner.stop();
    log.info('outer only');
    outer.stop();
    expect(inner.entries.map((entry) => entry.message)).toEqual(['d', 'i']);
    expect(outer.entries.map((entry) => entry.message)).toEqual(['i', 'outer only']);
  });

  it('rejects an unknown level with a coded error', () => {
    expect(() => captureLogs({ level: 'trace' as never })).toThrow(LoggingConfigError);
    try {
      captureLogs({ level: 'trace' as never });
    } catch (error) {
      expect((error as LoggingConfigError).code).toBe('LOG_INVALID_CONFIG');
    }
  });
});
