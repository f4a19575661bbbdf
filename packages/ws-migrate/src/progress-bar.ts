/** A one-line progress bar for long runs, redrawn in place on a terminal. */

/** Files above which a run shows a progress bar (on a terminal only). */
const PROGRESS_THRESHOLD = 200;

/** The stream a bar is drawn on (stderr, so stdout stays clean for the report). */
export interface ProgressStream {
  write(chunk: string): boolean;
}

/** A progress bar; {@link ProgressBar.finish} erases it. */
export interface ProgressBar {
  update(done: number, total: number): void;
  finish(): void;
}

const WIDTH = 30;

/**
 * Whether to show a bar: only for more than {@link PROGRESS_THRESHOLD} files and only when
 * stdout is a terminal (piped or redirected output gets no bar).
 */
export function shouldShowProgress(total: number, stdoutIsTerminal: boolean): boolean {
  return stdoutIsTerminal && total > PROGRESS_THRESHOLD;
}

/** The bar's text for `done` of `total`, e.g. `[#######-------]  50% 2500/5000 files`. */
export function renderProgress(label: string, done: number, total: number): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * WIDTH);
  const percent = String(Math.floor(ratio * 100)).padStart(3);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${percent}% ${done}/${total} files`;
}

/**
 * A bar on `stream`, redrawn only when the shown percentage changes, drawn only once
 * `total` exceeds {@link PROGRESS_THRESHOLD} and `enabled` holds.
 */
export function createProgressBar(
  stream: ProgressStream,
  label: string,
  enabled: boolean,
): ProgressBar {
  let shown = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (!shouldShowProgress(total, enabled)) return;
      const percent = Math.floor((done / total) * 100);
      if (percent === shown && done !== total) return;
      shown = percent;
      drawn = true;
      stream.write(`\r${renderProgress(label, done, total)}`);
    },
    finish() {
      if (drawn) stream.write('\r\u001b[2K');
    },
  };
}
