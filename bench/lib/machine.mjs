/** The machine a run happened on, for the results and docs/benchmarks.md. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export function describeMachine() {
  let fdLimit = 'unknown';
  try {
    fdLimit = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    // not a POSIX shell
  }
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    fdLimit,
    loadAverageAtStart: loadAverage(),
  };
}

/** The 1, 5 and 15 minute load averages now, rounded to 0.01. */
export function loadAverage() {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}
