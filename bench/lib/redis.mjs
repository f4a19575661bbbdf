/**
 * Redis for the multi-node scenario, without a client dependency: a private `redis-server` on a
 * free port when the binary exists (clean command statistics, nothing shared is disturbed), or
 * REDIS_URL when set; and `INFO commandstats` over a raw RESP socket.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { sleep, withTimeout } from './clock.mjs';
import { trackProcess } from './processes.mjs';

/** Sends one command (array of strings), resolves with the raw reply text. */
function redisCommand(url, args, timeoutMs = 5000) {
  const { hostname, port } = new URL(url);
  return withTimeout(
    new Promise((resolve, reject) => {
      const socket = net.connect(Number(port || 6379), hostname || '127.0.0.1');
      let data = Buffer.alloc(0);
      socket.on('connect', () => {
        socket.write(
          `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
        );
      });
      socket.on('data', (chunk) => {
        data = Buffer.concat([data, chunk]);
        const text = data.toString('utf8');
        if (text[0] === '$') {
          const headerEnd = text.indexOf('\r\n');
          const length = Number(text.slice(1, headerEnd));
          if (length < 0 || data.length >= headerEnd + 2 + length + 2) {
            socket.end();
            resolve(
              length < 0
                ? ''
                : data.subarray(headerEnd + 2, headerEnd + 2 + length).toString('utf8'),
            );
          }
        } else if (text.includes('\r\n')) {
          socket.end();
          if (text[0] === '-') reject(new Error(text.trim()));
          else resolve(text.trim());
        }
      });
      socket.on('error', reject);
    }),
    timeoutMs,
    `redis ${args[0]}`,
  );
}

/** Total `calls` per command from INFO commandstats: `{ xadd: 123, … , total }`. */
export async function commandStats(url) {
  const text = await redisCommand(url, ['INFO', 'commandstats']);
  const stats = { total: 0 };
  for (const line of text.split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) {
      stats[match[1]] = Number(match[2]);
      stats.total += Number(match[2]);
    }
  }
  return stats;
}

/** `after - before` per command, leaving out the probes this module itself sends. */
export function statsDelta(before, after) {
  const delta = {};
  for (const [name, calls] of Object.entries(after)) {
    const d = calls - (before[name] ?? 0);
    if (d > 0) delta[name] = d;
  }
  if (delta.info) {
    delta.total -= delta.info;
    delete delta.info;
  }
  return delta;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Redis for the bench: REDIS_URL when set (shared: statistics may include other clients'
 * commands), else a private redis-server, else 127.0.0.1:6379.
 * @returns {Promise<{url: string, source: string, version: string, stop(): Promise<void>}>}
 */
export async function startRedis() {
  if (process.env.REDIS_URL) {
    const url = process.env.REDIS_URL;
    return {
      url,
      source: 'REDIS_URL (shared)',
      version: await serverVersion(url),
      stop: async () => {},
    };
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child;
  try {
    child = trackProcess(
      spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      ),
    );
    await new Promise((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await redisCommand(url, ['PING'], 500)) === '+PONG') {
          return {
            url,
            source: `private redis-server on port ${port}`,
            version: await serverVersion(url),
            stop: async () => {
              child.kill('SIGKILL');
            },
          };
        }
      } catch {
        await sleep(50);
      }
    }
    throw new Error('private redis-server did not answer PING');
  } catch (error) {
    child?.kill('SIGKILL');
    const shared = 'redis://127.0.0.1:6379';
    try {
      return {
        url: shared,
        source: `shared 127.0.0.1:6379 (private server failed: ${error.message})`,
        version: await serverVersion(shared),
        stop: async () => {},
      };
    } catch {
      throw new Error(`no Redis: ${error.message}; 127.0.0.1:6379 does not answer either`);
    }
  }
}

/** Whether some Redis can be had: REDIS_URL answers, a redis-server binary runs, or 6379 answers. */
export async function redisAvailability() {
  const ping = async (url) => (await redisCommand(url, ['PING'], 1000).catch(() => '')) === '+PONG';
  if (process.env.REDIS_URL) {
    return (await ping(process.env.REDIS_URL))
      ? { ok: true }
      : { ok: false, reason: `REDIS_URL (${process.env.REDIS_URL}) does not answer PING` };
  }
  const binary = await new Promise((resolve) => {
    const child = spawn('redis-server', ['--version'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
  if (binary || (await ping('redis://127.0.0.1:6379'))) return { ok: true };
  return {
    ok: false,
    reason: 'no Redis: REDIS_URL unset, no redis-server binary, nothing on 127.0.0.1:6379',
  };
}

async function serverVersion(url) {
  const info = await redisCommand(url, ['INFO', 'server']);
  return /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
}
