import winston from 'winston';
import { describe, expect, it, vi } from 'vitest';
import type { LogEntry } from './log-entry';
import { createWinstonPipeline, type OutputSettings } from './winston-pipeline';

const entry: LogEntry = {
  timestamp: '2025-01-02T03:04:05.678Z',
  severity: 'WARNING',
  message: 'm',
  service: 's',
  component: 'c',
};

describe('createWinstonPipeline', () => {
  it('carries each entry through a winston logger to the destination, synchronously', () => {
    const createLogger = vi.spyOn(winston, 'createLogger');
    const lines: string[] = [];
    const output: OutputSettings = {
      format: 'json',
      destination: { write: (line: string) => lines.push(line) },
      colored: false,
    };
    const pipeline = createWinstonPipeline(output);
    expect(createLogger).toHaveBeenCalledTimes(1);
    createLogger.mockRestore();

    pipeline.write('warn', entry);
    expect(lines).toEqual([`${JSON.stringify(entry)}\n`]);

    output.format = 'pretty';
    pipeline.write('warn', entry);
    expect(lines[1]).toBe('03:04:05.678 WARNING [c] m\n');
  });

  it('swallows a throwing destination and keeps flowing', () => {
    const lines: string[] = [];
    let fail = true;
    const pipeline = createWinstonPipeline({
      format: 'json',
      destination: {
        write(line: string) {
          if (fail) throw new Error('EPIPE');
          lines.push(line);
        },
      },
      colored: false,
    });
    for (let i = 0; i < 100; i += 1) expect(() => pipeline.write('warn', entry)).not.toThrow();
    fail = false;
    pipeline.write('warn', entry);
    expect(lines).toHaveLength(1);
  });
});
