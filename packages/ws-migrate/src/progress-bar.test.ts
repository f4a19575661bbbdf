import { describe, expect, it } from 'vitest';
import { createProgressBar, renderProgress, shouldShowProgress } from './progress-bar.js';

function recorder(): { chunks: string[]; write(chunk: string): boolean } {
  const chunks: string[] = [];
  return {
    chunks,
    write(chunk) {
      chunks.push(chunk);
      return true;
    },
  };
}

describe('progress bar', () => {
  it('shows only on a terminal and only for more than 200 files', () => {
    expect(shouldShowProgress(201, true)).toBe(true);
    expect(shouldShowProgress(200, true)).toBe(false);
    expect(shouldShowProgress(5000, false)).toBe(false);
  });

  it('renders the done count and percentage', () => {
    expect(renderProgress('scanning', 2500, 5000)).toBe(
      `scanning [${'#'.repeat(15)}${'-'.repeat(15)}]  50% 2500/5000 files`,
    );
  });

  it('redraws only when the percentage changes, and erases itself', () => {
    const stream = recorder();
    const bar = createProgressBar(stream, 'scanning', true);
    for (let done = 1; done <= 1000; done += 1) bar.update(done, 1000);
    bar.finish();
    expect(stream.chunks.length).toBe(101 + 1);
    expect(stream.chunks.at(-2)).toContain('100% 1000/1000 files');
    expect(stream.chunks.at(-1)).toBe('\r\u001b[2K');
  });

  it('draws nothing when disabled or for small trees', () => {
    const stream = recorder();
    const offTerminal = createProgressBar(stream, 'scanning', false);
    const small = createProgressBar(stream, 'scanning', true);
    for (let done = 1; done <= 300; done += 1) offTerminal.update(done, 300);
    for (let done = 1; done <= 50; done += 1) small.update(done, 50);
    offTerminal.finish();
    small.finish();
    expect(stream.chunks).toEqual([]);
  });
});
