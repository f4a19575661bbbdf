import { describe, expect, it } from 'vitest';
import { isActiveRun } from './active-run.js';

const run = {
  runId: 'r_1',
  threadId: 't_1',
  agentName: 'assistant',
  firstSeq: 7,
  startedAt: '2026-11-22T07:00:00.000Z',
};

describe('isActiveRun', () => {
  it('accepts the shape of welcome.activeRuns entries', () => {
    expect(isActiveRun(run)).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'r_1'],
    ['no runId', { ...run, runId: undefined }],
    ['a numeric threadId', { ...run, threadId: 1 }],
    ['no agentName', { ...run, agentName: undefined }],
    ['firstSeq 0', { ...run, firstSeq: 0 }],
    ['a fractional firstSeq', { ...run, firstSeq: 1.5 }],
    ['a string firstSeq', { ...run, firstSeq: '7' }],
    ['no startedAt', { ...run, startedAt: undefined }],
  ])('refuses %s', (_name, value) => {
    expect(isActiveRun(value)).toBe(false);
  });
});
