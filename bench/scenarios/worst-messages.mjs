/**
 * Hardening (a): one user sends the demo agent's worst messages (16,384 characters each, shaped
 * after its former quadratic paths) as fast as the limits allow — a chat every 50 ms (the
 * default 20 frames/s), so its 3 runs are always busy and the rest are refused — while another
 * user pings every `pingIntervalMs` and `/health/live` is asked in a loop. Measured: the other
 * user's ping round trip and the health check's response time, p50/p99/max, during the flood
 * and in the same process just before it (the baseline of the same run). Targets
 * (docs/security.md#busy-event-loop): ping p99 < 200 ms, `/health/live` p99 < 100 ms.
 */
import { now, sleep } from '../lib/clock.mjs';
import {
  devToken,
  openSocket,
  percentile,
  startChatServer,
  worstMessages,
} from '../lib/chat-server.mjs';
import { summarize } from '../lib/stats.mjs';
import { target } from './fanout.mjs';

const METRICS = [
  { key: 'pingP99', label: 'other user ping p99', unit: 'ms', better: 'lower' },
  { key: 'pingP50', label: 'other user ping p50', unit: 'ms', better: 'lower' },
  { key: 'pingMax', label: 'other user ping max', unit: 'ms', better: 'lower' },
  { key: 'healthP99', label: '/health/live p99', unit: 'ms', better: 'lower' },
  { key: 'healthP50', label: '/health/live p50', unit: 'ms', better: 'lower' },
  { key: 'chatsSent', label: 'worst messages sent', unit: '', better: 'higher' },
  { key: 'runsCompleted', label: 'worst messages answered', unit: '', better: 'higher' },
];

/** Pings on `socket` every `intervalMs` until `stop()`; resolves with the round trips (ms). */
function pinger(socket, intervalMs) {
  const sentAt = new Map();
  const roundTrips = [];
  let next = 0;
  const onMessage = (data) => {
    const frame = JSON.parse(data.toString());
    const start = frame.type === 'pong' ? sentAt.get(frame.ref) : undefined;
    if (start !== undefined) {
      roundTrips.push(now() - start);
      sentAt.delete(frame.ref);
    }
  };
  socket.on('message', onMessage);
  const timer = setInterval(() => {
    const id = `p${next++}`;
    sentAt.set(id, now());
    socket.send(JSON.stringify({ type: 'ping', id }));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      const deadline = now() + 30_000;
      while (sentAt.size > 0 && now() < deadline) await sleep(20);
      socket.off('message', onMessage);
      // A ping never answered counts as the longest wait it had.
      for (const start of sentAt.values()) roundTrips.push(now() - start);
      return roundTrips;
    },
  };
}

/** Asks `/health/live` back to back until `stop()`; resolves with the response times (ms). */
function healthProbe(url) {
  const times = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = now();
      const response = await fetch(`${url}/health/live`);
      await response.arrayBuffer();
      times.push(now() - start);
      await sleep(20);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return times;
    },
  };
}

/** Sends a worst message every `intervalMs` until `stop()`; counts sends and completed runs. */
function flood(socket, messages, intervalMs) {
  let sent = 0;
  let completed = 0;
  const onMessage = (data) => {
    if (JSON.parse(data.toString()).type === 'agent_completed') completed++;
  };
  socket.on('message', onMessage);
  const timer = setInterval(() => {
    socket.send(JSON.stringify({ type: 'chat', text: messages[sent % messages.length] }));
    sent++;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      socket.off('message', onMessage);
      return { sent, completed };
    },
  };
}

async function measure(server, config, withFlood, messages) {
  const victim = await openSocket(server.wsUrl, await devToken(server.url, 'victim'));
  const attacker = withFlood
    ? await openSocket(server.wsUrl, await devToken(server.url, 'attacker'))
    : undefined;
  const pings = pinger(victim, config.pingIntervalMs);
  const health = healthProbe(server.url);
  const attack = attacker ? flood(attacker, messages, config.chatIntervalMs) : undefined;
  await sleep(withFlood ? config.floodMs : config.baselineMs);
  const counts = attack?.stop() ?? { sent: 0, completed: 0 };
  const [roundTrips, healthTimes] = await Promise.all([pings.stop(), health.stop()]);
  victim.close();
  attacker?.close();
  return {
    pingP99: percentile(roundTrips, 99),
    pingP50: percentile(roundTrips, 50),
    pingMax: percentile(roundTrips, 100),
    healthP99: percentile(healthTimes, 99),
    healthP50: percentile(healthTimes, 50),
    chatsSent: counts.sent,
    runsCompleted: counts.completed,
    pings: roundTrips.length,
    healthChecks: healthTimes.length,
  };
}

export default {
  id: 'worst-messages',
  title: 'Worst messages: another user meanwhile',
  description: (c) =>
    `One user sends the demo agent's worst 16,384-character messages every ${c.chatIntervalMs} ms for ` +
    `${c.floodMs / 1000} s (its 3 runs always busy) against a chat-server process; another user pings every ` +
    `${c.pingIntervalMs} ms and /health/live is asked in a loop. Baseline: the same probes for ` +
    `${c.baselineMs / 1000} s without the flood, same process, just before.`,
  configKey: 'worstMessages',
  async run(h, config) {
    const messages = await worstMessages();
    const runs = { baseline: [], flood: [] };
    for (let rep = 1; rep <= h.reps; rep++) {
      const server = await startChatServer();
      try {
        // Warm-up: JIT, the embedded database, the agent's paths.
        const warm = await openSocket(server.wsUrl, await devToken(server.url, 'warm'));
        for (const text of messages)
          warm.send(JSON.stringify({ type: 'chat', text: text.slice(0, 200) }));
        await sleep(1000);
        warm.close();
        runs.baseline.push(await measure(server, config, false, messages));
        runs.flood.push(await measure(server, config, true, messages));
        const last = runs.flood.at(-1);
        const base = runs.baseline.at(-1);
        h.log(
          `  rep ${rep}/${h.reps}: ping p99 ${last.pingP99?.toFixed(1)} ms (baseline ${base.pingP99?.toFixed(1)}), ` +
            `/health/live p99 ${last.healthP99?.toFixed(1)} ms (baseline ${base.healthP99?.toFixed(1)}); ` +
            `${last.chatsSent} sent, ${last.runsCompleted} answered, ${last.pings} pings, ${last.healthChecks} health checks`,
        );
      } finally {
        await server.stop();
      }
    }
    const row = (variant, label, list) => {
      const values = {};
      for (const { key } of METRICS) values[key] = summarize(list.map((r) => r[key]));
      return { variant, label, values };
    };
    const rows = [
      row('flood', 'during the flood', runs.flood),
      row('baseline', 'quiet (baseline)', runs.baseline),
    ];
    const ms = (v) => `${v.toFixed(1)} ms`;
    return {
      metrics: METRICS,
      rows,
      baseline: 'baseline',
      problems: [],
      targets: [
        target('other user ping p99 < 200 ms', rows[0].values.pingP99.median, (v) => v < 200, {
          perRep: runs.flood.map((r) => r.pingP99),
          format: ms,
        }),
        target('/health/live p99 < 100 ms', rows[0].values.healthP99.median, (v) => v < 100, {
          perRep: runs.flood.map((r) => r.healthP99),
          format: ms,
        }),
      ],
    };
  },
};
