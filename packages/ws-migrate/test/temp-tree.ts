import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Creates a temporary directory holding `files` (relative path → content); returns its path. */
export function writeTempTree(files: Readonly<Record<string, string>>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-migrate-test-'));
  for (const [relativePath, content] of Object.entries(files)) {
    const target = path.join(root, relativePath);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return root;
}

/** Removes a directory made by {@link writeTempTree}. */
export function removeTempTree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** Every file under `root` with its content, for before/after comparisons. */
export function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else
        files[path.relative(root, absolute).split(path.sep).join('/')] = fs.readFileSync(
          absolute,
          'utf8',
        );
    }
  };
  walk(root);
  return files;
}

/** A small tree mixing legacy, canonical, ignored and broken files (see scan.test.ts). */
export const MIXED_TREE: Readonly<Record<string, string>> = {
  '.gitignore': 'generated/\n*.gen.ts\n',
  'src/server.ts': [
    '// The server.',
    "import { UnifiedWebSocketManager, createWebSocketManager } from '@app/ws-legacy';",
    '',
    'export function start(ctx: Ctx): UnifiedWebSocketManager {',
    '  return createWebSocketManager(ctx);',
    '}',
  ].join('\n'),
  'src/routes.mjs': [
    "import { getWebSocketManager } from '@app/ws-core';",
    "export const LEGACY_URL = '/websocket';",
    'export const manager = getWebSocketManager;',
  ].join('\n'),
  'src/worker.cjs': [
    "'use strict';",
    "const { getUnifiedLogger } = require('@app/ws-legacy/logging');",
    "const log = getUnifiedLogger('worker');",
    'module.exports = { log };',
  ].join('\n'),
  'src/clean.ts':
    "import { getWebSocketManager } from '@app/ws-core';\nexport const m = getWebSocketManager;\n",
  'src/protocol.tsx':
    "import { CRITICAL_EVENTS } from '@app/ws-protocol';\nexport const E = () => <b>{CRITICAL_EVENTS.length}</b>;\n",
  'src/unrelated.ts': "export const answer = 42; // mentions '@app/ws-legacy' only in a comment\n",
  'src/lazy.js': "export const load = () => import('@app/ws-legacy/manager');\n",
  'src/index.d.ts': "export type M = import('@app/ws-legacy').WebSocketManager;\n",
  'src/notes.md': "import { WebSocketManager } from '@app/ws-legacy';\n",
  'src/legacy.gen.ts': "import { WebSocketManager } from '@app/ws-legacy';\n",
  'generated/client.ts': "import { WebSocketManager } from '@app/ws-legacy';\n",
  'packages/app/.gitignore': 'local-only.ts\n',
  'packages/app/local-only.ts': "import { WebSocketManager } from '@app/ws-legacy';\n",
  'packages/app/reexport.ts': "export { CRITICAL_EVENTS } from '@app/ws-legacy';\n",
  'node_modules/@app/ws-legacy/index.js':
    "export { WebSocketManager } from '@app/ws-legacy/manager';\n",
  'dist/bundle.js': "require('@app/ws-legacy');\n",
  'build/out.js': "require('@app/ws-legacy');\n",
  'coverage/lcov.js': "require('@app/ws-legacy');\n",
  '.cache/x.js': "require('@app/ws-legacy');\n",
};
