/**
 * Cost per call of @app/logging-ssot against raw winston and pino, all writing to the same
 * discarding stream. Not a test: it reports figures (median of interleaved rounds) and the
 * ratios the package README quotes. Run with `npm run bench -w @app/logging-ssot`.
 */
import os from 'node:os';
import { Writable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import pino from 'pino';
import winston from 'winston';
import { configureLogging, createLogger, withLogContext } from '../src/index';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ENABLED_CALLS = 10_000;
const DISABLED_CALLS = 200_000;

/** Discards everything; shared by all three loggers so the sink costs the same. */
const nullStream = new Writable({
  decodeStrings: false,
  write(_chunk, _encoding, callback) {
    callback();
  },
});

const fields = { userId: 'user-42', runId: 'run-7f3a', durationMs: 123 };

configureLogging({ level: 'info', format: 'json', destination: nullStream });
const ours = createLogger('bench');

const rawWinston = winston.createLogger({
  level: 'info',
  format: winston.format.json(),
  transports: [new winston.transports.Stream({ stream: nullStream })],
});

/** winston's own base class, exported at run time as `Transport` (its typings omit it). */
const TransportBase = (
  winston as unknown as {
    Transport: new () => Exclude<NonNullable<winston.LoggerOptions['transports']>, unknown[]>;
  }
).Transport;

/**
 * A stricter baseline than the Stream transport (which defers an event per line with
 * setImmediate): the least a winston transport can do.
 */
class BareTransport extends TransportBase {
  override log(info: Record<symbol, unknown>, next: () => void): void {
    nullStream.write(info[Symbol.for('message')]);
    next();
  }
}

const bareWinston = winston.createLogger({
  level: 'info',
  format: winston.format.json(),
  transports: [new BareTransport()],
});

const rawPino = pino({ level: 'info' }, nullStream);

interface Case {
  name: string;
  calls: number;
  run: (calls: number) => void;
  samples: number[];
}

function makeCase(name: string, calls: number, run: (calls: number) => void): Case {
  return { name, calls, run, samples: [] };
}

const cases: Case[] = [
  makeCase('ours: disabled debug', DISABLED_CALLS, (n) => {
    for (let i = 0; i < n; i += 1) ours.debug('bench message', fields);
  }),
  makeCase('winston: disabled debug', DISABLED_CALLS, (n) => {
    for (let i = 0; i < n; i += 1) rawWinston.debug('bench message', fields);
  }),
  makeCase('pino: disabled debug', DISABLED_CALLS, (n) => {
    for (let i = 0; i < n; i += 1) rawPino.debug(fields, 'bench message');
  }),
  makeCase('ours: info json, 3 fields', ENABLED_CALLS, (n) => {
    for (let i = 0; i < n; i += 1) ours.info('bench message', fields);
  }),
  makeCase('ours: same, in withLogContext', ENABLED_CALLS, (n) => {
    withLogContext({ requestId: 'req-1', connectionId: 'conn-9' }, () => {
      for (let i = 0; i < n; i += 1) ours.info('bench message', fields);
    });
  }),
  makeCase('winston: info json, 3 fields', ENABLED_CALLS, (n) => {
    for (let i = 0; i < n; i += 1) rawWinston.info('bench message', fields);
  }),
  makeCase('winston, bare transport: info json, 3 fields', ENABLED_CALLS, (n) => {
    for (let i = 0; i < n; i += 1) bareWinston.info('bench message', fields);
  }),
  makeCase('pino: info json, 3 fields', ENABLED_CALLS, (n) => {
    for (let i = 0; i < n; i += 1) rawPino.info(fields, 'bench message');
  }),
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  for (const item of cases) item.run(Math.min(item.calls, 20_000));
  await yieldToLoop();
  // Rounds are interleaved so that load from other processes affects every case alike.
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const item of cases) {
      const start = process.hrtime.bigint();
      item.run(item.calls);
      const elapsed = Number(process.hrtime.bigint() - start);
      item.samples.push(elapsed / item.calls);
      // winston's Stream transport defers work with setImmediate; let it drain between rounds.
      await yieldToLoop();
    }
  }

  const ns = new Map(cases.map((item) => [item.name, median(item.samples)]));
  const get = (name: string): number => ns.get(name)!;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Node ${process.version}, ${os.cpus().length} cores (${cpu}), ${ROUNDS} rounds`);
  console.log('');
  console.log('| case | ns/call |');
  console.log('| --- | ---: |');
  for (const item of cases) console.log(`| ${item.name} | ${get(item.name).toFixed(1)} |`);
  console.log('');
  const ratio = (a: string, b: string): string => (get(a) / get(b)).toPrecision(2);
  const enabled = 'ours: info json, 3 fields';
  const inContext = 'ours: same, in withLogContext';
  console.log('| ratio | value | target |');
  console.log('| --- | ---: | ---: |');
  console.log(
    `| ours / winston, enabled | ${ratio(enabled, 'winston: info json, 3 fields')} | ≤ 1.50 |`,
  );
  console.log(
    `| ours in context / winston, enabled | ${ratio(inContext, 'winston: info json, 3 fields')} | ≤ 1.50 |`,
  );
  const bare = 'winston, bare transport: info json, 3 fields';
  console.log(`| ours / winston bare transport, enabled | ${ratio(enabled, bare)} | |`);
  console.log(`| ours in context / winston bare transport | ${ratio(inContext, bare)} | |`);
  console.log(
    `| ours / winston, disabled | ${ratio('ours: disabled debug', 'winston: disabled debug')} | ≤ 2.00 |`,
  );
  console.log(`| ours / pino, enabled | ${ratio(enabled, 'pino: info json, 3 fields')} | |`);
  console.log(
    `| ours / pino, disabled | ${ratio('ours: disabled debug', 'pino: disabled debug')} | |`,
  );
}

await main();
