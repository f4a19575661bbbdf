import { describe, expect, it } from 'vitest';
import { reportEnvironmentProblems } from './environment-problems-report';
import { createLoggingState } from './logging-state';

function stateWith(env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const created = createLoggingState(env, { write: (line: string) => lines.push(line) });
  return { ...created, lines };
}

describe('reportEnvironmentProblems', () => {
  it('writes one warning per invalid variable through the normal pipeline', () => {
    const { state, problems, lines } = stateWith({ LOG_LEVEL: 'loud', LOG_FORMAT: 'JSON' });
    reportEnvironmentProblems(state, problems);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      severity: 'WARNING',
      component: 'logging-ssot',
      message: 'Invalid LOG_LEVEL, using "info"',
      variable: 'LOG_LEVEL',
      value: 'loud',
    });
  });

  it('respects the level: no warning when only errors are wanted', () => {
    const { state, problems, lines } = stateWith({ LOG_LEVEL: 'error', LOG_FORMAT: 'yaml' });
    expect(problems).toHaveLength(1);
    reportEnvironmentProblems(state, problems);
    expect(lines).toHaveLength(0);
  });
});
