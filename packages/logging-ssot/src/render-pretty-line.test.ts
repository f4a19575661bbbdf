import { describe, expect, it } from 'vitest';
import type { LogEntry } from './log-entry';
import { renderPrettyLine } from './render-pretty-line';

const base: LogEntry = {
  timestamp: '2025-01-02T03:04:05.678Z',
  severity: 'INFO',
  message: 'connected',
  service: 'svc',
  component: 'ws-routes',
};

describe('renderPrettyLine', () => {
  it('renders one plain line with time, severity, component, message and fields', () => {
    const line = renderPrettyLine({ ...base, userId: 'u1', text: 'hi there', n: 3 }, false);
    expect(line).toBe('03:04:05.678 INFO    [ws-routes] connected userId=u1 text="hi there" n=3\n');
  });

  it('keeps an entry on one line whatever the message, keys and values contain', () => {
    const line = renderPrettyLine(
      { ...base, message: 'a\nINFO forged\r\nline', 'odd key\n': 'v\nw', nested: { a: [1] } },
      false,
    );
    expect(line.split('\n')).toEqual([expect.any(String), '']);
    expect(line).toContain('a\\nINFO forged\\nline');
    expect(line).toContain('"odd key\\n"="v\\nw" nested={"a":[1]}');
  });

  it('puts the error last, with its code, cause and stack', () => {
    const line = renderPrettyLine(
      {
        ...base,
        severity: 'ERROR',
        error: {
          name: 'TypeError',
          message: 'boom',
          code: 'E1',
          stack: 'TypeError: boom\n    at x',
        },
        runId: 'r1',
      },
      false,
    );
    expect(line).toBe(
      '03:04:05.678 ERROR   [ws-routes] connected runId=r1 error="TypeError: boom" code=E1 ' +
        'stack="TypeError: boom\\n    at x"\n',
    );
  });

  it('adds ANSI colours only when asked', () => {
    expect(renderPrettyLine(base, true)).toContain('\u001b[32mINFO');
    expect(renderPrettyLine(base, false)).not.toContain('\u001b[');
  });
});
