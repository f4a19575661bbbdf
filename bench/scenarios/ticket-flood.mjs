/**
 * Hardening (b): one user sends `requests` ticket requests (`POST /api/v1/ws-ticket`,
 * `concurrency` at a time) to a chat-server process. Counted: 200s and 429s. Measured: the
 * server's RSS before the flood, its peak (VmHWM) and `afterMs` after the flood ended (VmRSS of
 * /proc). Target (docs/security.md#tickets): RSS a minute after within 10 % of the start.
 */
import { sleep } from '../lib/clock.mjs';
import { devToken, residentMemory, startChatServer } from '../lib/chat-server.mjs';
import { summarize } from '../lib/stats.mjs';
import { target } from './fanout.mjs';

const MIB = 1024 * 1024;

const METRICS = [
  { key: 'afterRatio', label: 'RSS after / RSS at start', unit: '×', better: 'lower' },
  { key: 'startMiB', label: 'RSS at start', unit: 'MiB', better: 'lower' },
  { key: 'peakMiB', label: 'RSS peak', unit: 'MiB', better: 'lower' },
  { key: 'afterMiB', label: 'RSS after', unit: 'MiB', better: 'lower' },
  { key: 'issued', label: 'tickets issued (200)', unit: '', better: 'lower' },
  { key: 'refused', label: 'refused (429)', unit: '', better: 'higher' },
  { key: 'other', label: 'other statuses', unit: '', better: 'lower' },
];

async function floodTickets(url, token, requests, concurrency) {
  const counts = { issued: 0, refused: 0, other: 0 };
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      const response = await fetch(`${url}/api/v1/ws-ticket`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      if (response.status === 200) counts.issued++;
      else if (response.status === 429) counts.refused++;
      else counts.other++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return counts;
}

export default {
  id: 'ticket-flood',
  title: 'Ticket flood from one user',
  description: (c) =>
    `${c.requests.toLocaleString('en')} POST /api/v1/ws-ticket from one user (${c.concurrency} at a time) ` +
    `against a chat-server process with the default limits; server RSS (/proc VmRSS) at the start, ` +
    `its peak (VmHWM) and ${c.afterMs / 1000} s after the flood.`,
  configKey: 'tickets',
  async run(h, config) {
    const runs = [];
    for (let rep = 1; rep <= h.reps; rep++) {
      const server = await startChatServer();
      try {
        const token = await devToken(server.url, 'flooder');
        // Warm-up: the route, the verifier, the limiter, by another user.
        const warmToken = await devToken(server.url, 'warm');
        await floodTickets(server.url, warmToken, 20, 4);
        await sleep(config.settleMs);
        const start = residentMemory(server.pid).rss;
        const counts = await floodTickets(server.url, token, config.requests, config.concurrency);
        const peak = residentMemory(server.pid).peak;
        await sleep(config.afterMs);
        const after = residentMemory(server.pid).rss;
        runs.push({
          afterRatio: after / start,
          startMiB: start / MIB,
          peakMiB: peak / MIB,
          afterMiB: after / MIB,
          ...counts,
        });
        h.log(
          `  rep ${rep}/${h.reps}: ${counts.issued} issued, ${counts.refused} refused (429), ${counts.other} other; ` +
            `RSS ${(start / MIB).toFixed(1)} → peak ${(peak / MIB).toFixed(1)} → ${(after / MIB).toFixed(1)} MiB after ${config.afterMs / 1000} s`,
        );
      } finally {
        await server.stop();
      }
    }
    const values = {};
    for (const { key } of METRICS) values[key] = summarize(runs.map((r) => r[key]));
    const rows = [{ variant: 'ours', label: 'chat server', values }];
    return {
      metrics: METRICS,
      rows,
      problems: [],
      targets: [
        target(
          'RSS a minute after the flood within 10 % of the start',
          values.afterRatio.median,
          (v) => v <= 1.1,
          { perRep: runs.map((r) => r.afterRatio) },
        ),
        target(
          'requests past the limit refused with 429',
          values.refused.median / (config.requests - 60),
          (v) => v >= 0.999,
          {
            perRep: runs.map((r) => r.refused / (config.requests - 60)),
            format: (v) => `${(v * 100).toFixed(1)} %`,
          },
        ),
      ],
    };
  },
};
