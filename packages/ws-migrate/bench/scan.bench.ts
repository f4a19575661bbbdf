/**
 * Scan throughput: generates a tree of 5,000 source files (legacy, canonical and unrelated
 * code mixed, with a .gitignore and a node_modules to skip) in a temp directory, scans it a few
 * times and prints files per second. Not a test: nothing here can fail on timing.
 *
 *   npm run bench -w @app/ws-migrate [-- --files 5000 --runs 3]
 *
 * KEEP_TREE=1 keeps the generated tree and prints its path (to profile against it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scan } from '../src/index.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

const FILES = option('files', 5000);
const RUNS = option('runs', 3);

/** About 30 lines of ordinary code under each file's imports. */
const BODY = {
  ts: `
export interface Options {
  readonly retries: number;
  readonly timeoutMs: number;
}

/** Sends a frame, retrying on transient failures. */
export async function send(frame: unknown, options: Options): Promise<void> {
  for (let attempt = 0; attempt <= options.retries; attempt += 1) {
    try {
      await deliver(JSON.stringify(frame), options.timeoutMs);
      return;
    } catch (error) {
      if (attempt === options.retries) throw error;
    }
  }
}

async function deliver(text: string, timeoutMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, text.length)));
}
`,
  js: `
/** Sends a frame, retrying on transient failures. */
export async function send(frame, options) {
  for (let attempt = 0; attempt <= options.retries; attempt += 1) {
    try {
      await deliver(JSON.stringify(frame), options.timeoutMs);
      return;
    } catch (error) {
      if (attempt === options.retries) throw error;
    }
  }
}

async function deliver(text, timeoutMs) {
  await new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, text.length)));
}
`,
};

/** Import headers: three legacy, three canonical, two unrelated. */
const HEADERS: readonly { ts: string; js: string }[] = [
  {
    ts: "import { UnifiedWebSocketManager, createWebSocketManager } from '@app/ws-legacy';\nexport const make = (ctx: object): UnifiedWebSocketManager => createWebSocketManager(ctx);\n",
    js: "import { UnifiedWebSocketManager, createWebSocketManager } from '@app/ws-legacy';\nexport const make = (ctx) => createWebSocketManager(ctx);\n",
  },
  {
    ts: "import { getUnifiedLogger } from '@app/ws-legacy/logging';\nconst log = getUnifiedLogger('bench');\n",
    js: "const { getUnifiedLogger } = require('@app/ws-legacy/logging');\nconst log = getUnifiedLogger('bench');\n",
  },
  {
    ts: 'export const url = `wss://${location.host}/websocket`;\n',
    js: 'export const url = `wss://${location.host}/websocket`;\n',
  },
  {
    ts: "import { getWebSocketManager } from '@app/ws-core';\nexport const manager = getWebSocketManager;\n",
    js: "const { getWebSocketManager } = require('@app/ws-core');\nexport const manager = getWebSocketManager;\n",
  },
  {
    ts: "import { CRITICAL_EVENTS } from '@app/ws-protocol';\nexport const critical = CRITICAL_EVENTS;\n",
    js: "import { CRITICAL_EVENTS } from '@app/ws-protocol';\nexport const critical = CRITICAL_EVENTS;\n",
  },
  {
    ts: "import type { WebSocketManager } from '@app/ws-core';\nexport type Manager = WebSocketManager;\n",
    js: "export const core = () => import('@app/ws-core');\n",
  },
  {
    ts: "import path from 'node:path';\nexport const here = path.resolve('.');\n",
    js: "import path from 'node:path';\nexport const here = path.resolve('.');\n",
  },
  { ts: '// no imports at all\n', js: '// no imports at all\n' },
];

const EXTENSIONS = ['.ts', '.tsx', '.mjs', '.cjs', '.js'] as const;

function generateTree(root: string): void {
  fs.writeFileSync(path.join(root, '.gitignore'), 'generated/\n*.gen.ts\n');
  fs.mkdirSync(path.join(root, 'node_modules/dep'), { recursive: true });
  fs.writeFileSync(path.join(root, 'node_modules/dep/index.js'), "require('@app/ws-legacy');\n");
  for (let index = 0; index < FILES; index += 1) {
    const dir = path.join(
      root,
      `packages/p${index % 20}/src/module-${Math.floor(index / 20) % 25}`,
    );
    fs.mkdirSync(dir, { recursive: true });
    const extension = EXTENSIONS[index % EXTENSIONS.length] ?? '.ts';
    const flavour = extension === '.ts' || extension === '.tsx' ? 'ts' : 'js';
    const header = HEADERS[index % HEADERS.length] ?? { ts: '', js: '' };
    fs.writeFileSync(path.join(dir, `file-${index}${extension}`), header[flavour] + BODY[flavour]);
  }
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-migrate-bench-'));
  try {
    generateTree(root);
    const timings: number[] = [];
    let summary = '';
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      const result = await scan(root);
      timings.push(performance.now() - started);
      summary = `${result.scannedFiles} files, ${result.touchingFiles} touching ws, ${result.files.length} with findings, score ${result.score.toFixed(1)}%`;
    }
    timings.sort((a, b) => a - b);
    const best = timings[0] ?? Number.NaN;
    const median = timings[Math.floor(timings.length / 2)] ?? Number.NaN;
    process.stdout.write(
      [
        `ws-migrate scan: ${summary}`,
        `runs: ${timings.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`,
        `best ${(FILES / (best / 1000)).toFixed(0)} files/s, median ${(FILES / (median / 1000)).toFixed(0)} files/s`,
        `(node ${process.version}, ${os.cpus().length} CPUs)`,
        '',
      ].join('\n'),
    );
  } finally {
    if (process.env.KEEP_TREE === undefined) fs.rmSync(root, { recursive: true, force: true });
    else process.stdout.write(`${root}\n`);
  }
}

await main();
