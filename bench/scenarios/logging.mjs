/**
 * Scenario 6: the cost of logging: scenario 1's measurement for ours with LOG_LEVEL=error
 * (nothing is logged on the hot path: the reference), info (the default) and debug. JSON lines
 * to stdout, which the orchestrator points at /dev/null.
 */
import { runFanoutComparison } from './fanout-comparison.mjs';
import { FANOUT_METRICS, perRepRatios, row, target } from './fanout.mjs';

export default {
  id: 'logging',
  title: 'Logging cost',
  description: (c) =>
    `Scenario 1 for ours only (${c.users * c.perUser} clients of ${c.users} users) with LOG_LEVEL=error ` +
    `(reference: nothing logged per connection or run), info (default) and debug; JSON log lines to ` +
    `stdout → /dev/null. Cost of a level = 1 − its delivered events/s ÷ the reference's.`,
  configKey: 'fanout',
  async run(h, config) {
    const levels = ['error', 'info', 'debug'];
    const servers = [];
    let result;
    try {
      servers.push(...(await h.servers(levels.map((level) => ['ours', { LOG_LEVEL: level }]))));
      const variants = levels.map((level, i) => ({
        key: level,
        label: `ours LOG_LEVEL=${level}`,
        servers: [servers[i]],
      }));
      result = await runFanoutComparison(h, variants, config);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    const rows = levels.map((level) => row(level, result.runs[level], `ours, LOG_LEVEL=${level}`));
    const problems = result.problems;
    const tput = (i) => rows[i].values.deliveredPerSec.median;
    const infoCost = 1 - tput(1) / tput(0);
    const debugCost = 1 - tput(2) / tput(1);
    return {
      metrics: FANOUT_METRICS,
      rows,
      baseline: 'info',
      problems,
      targets: [
        target('logging at info costs ≤ 5 % (vs error)', infoCost, (c) => c <= 0.05, {
          perRep: perRepRatios(rows[1], rows[0], 'deliveredPerSec').map((r) => 1 - r),
          format: pct,
        }),
      ],
      notes: [
        `debug vs info: ${debugCost >= 0 ? `${pct(debugCost)} fewer` : `${pct(-debugCost)} more`} delivered events/s (no target; a negative cost is noise).`,
      ],
    };
  },
};

function pct(value) {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : 'n/a';
}
