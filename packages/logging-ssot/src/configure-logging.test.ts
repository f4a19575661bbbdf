import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectLines, type CollectedLines } from '../test/collect-lines';
import { configureLogging, createLogger, LoggingConfigError, type LoggingOptions } from './index';

let output: CollectedLines;

beforeEach(() => {
  output = collectLines();
});
afterEach(() => {
  output.restore();
});

describe('configureLogging', () => {
  it('returns the previous configuration, which restores it', () => {
    const before = configureLogging({});
    const previous = configureLogging({ level: 'error', service: 'other', format: 'pretty' });
    expect(previous).toEqual(before);
    configureLogging(previous);
    expect(configureLogging({})).toEqual(before);
  });

  it('switches format, service and destination for existing loggers', () => {
    const log = createLogger('switch');
    log.info('as json');
    configureLogging({ format: 'pretty', service: 'renamed' });
    log.info('as pretty', { userId: 'u1' });
    configureLogging({ format: 'json' });
    log.info('json again');
    const [json, pretty, again] = output.lines;
    expect(JSON.parse(json!)).toMatchObject({ message: 'as json', service: 'test-service' });
    expect(pretty).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {4}\[switch] as pretty userId=u1\n$/);
    expect(JSON.parse(again!)).toMatchObject({ service: 'renamed' });
  });

  it.each<[string, LoggingOptions]>([
    ['level', { level: 'verbose' as never }],
    ['format', { format: 'xml' as never }],
    ['destination', { destination: {} as never }],
    ['service', { service: 42 as never }],
    ['color', { color: 'yes' as never }],
  ])('rejects an invalid %s without changing anything', (option, options) => {
    const before = configureLogging({});
    let thrown: unknown;
    try {
      configureLogging(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LoggingConfigError);
    expect(thrown).toMatchObject({ code: 'LOG_INVALID_CONFIG', option });
    expect(configureLogging({})).toEqual(before);
  });

  it('colours pretty lines only when asked or when the destination is a TTY', () => {
    const log = createLogger('colour');
    configureLogging({ format: 'pretty', color: true });
    log.warn('coloured');
    configureLogging({ color: 'auto' });
    log.warn('plain');
    expect(output.lines[0]).toContain('\u001b[');
    expect(output.lines[1]).not.toContain('\u001b[');
  });
});
