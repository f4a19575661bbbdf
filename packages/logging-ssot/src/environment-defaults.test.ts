import { describe, expect, it } from 'vitest';
import { readEnvironmentDefaults } from './environment-defaults';
import { createLoggingState } from './logging-state';

describe('readEnvironmentDefaults', () => {
  it('defaults to info, pretty and app outside production', () => {
    expect(readEnvironmentDefaults({})).toEqual({
      level: 'info',
      format: 'pretty',
      service: 'app',
      problems: [],
    });
  });

  it('defaults to json in production', () => {
    expect(readEnvironmentDefaults({ NODE_ENV: 'production' }).format).toBe('json');
  });

  it('reads LOG_LEVEL, LOG_FORMAT and SERVICE_NAME, case-insensitively', () => {
    expect(
      readEnvironmentDefaults({ LOG_LEVEL: ' DEBUG ', LOG_FORMAT: 'Json', SERVICE_NAME: 'chat' }),
    ).toEqual({ level: 'debug', format: 'json', service: 'chat', problems: [] });
    expect(readEnvironmentDefaults({ LOG_LEVEL: 'warning' }).level).toBe('warn');
  });

  it('falls back on invalid values and reports each once', () => {
    const defaults = readEnvironmentDefaults({
      NODE_ENV: 'production',
      LOG_LEVEL: 'verbose',
      LOG_FORMAT: 'xml',
    });
    expect(defaults).toMatchObject({ level: 'info', format: 'json' });
    expect(defaults.problems).toEqual([
      { variable: 'LOG_LEVEL', value: 'verbose', fallback: 'info' },
      { variable: 'LOG_FORMAT', value: 'xml', fallback: 'json' },
    ]);
  });
});

describe('createLoggingState', () => {
  it('builds a state from the environment without throwing on bad values', () => {
    const lines: string[] = [];
    const { state, problems } = createLoggingState(
      { LOG_LEVEL: 'loud', LOG_FORMAT: 'json' },
      { write: (line: string) => lines.push(line) },
    );
    expect(state.settings).toMatchObject({ level: 'info', format: 'json' });
    expect(problems).toHaveLength(1);
  });
});
