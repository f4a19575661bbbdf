import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fix, scan } from '../src/index.js';
import { PACKAGE_DIR } from './run-cli.js';
import { readTree, removeTempTree } from './temp-tree.js';

const EXAMPLE = path.join(PACKAGE_DIR, 'examples/legacy-app');

describe('examples/legacy-app (the README example)', () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-migrate-example-'));
  fs.cpSync(EXAMPLE, copy, { recursive: true });
  afterAll(() => removeTempTree(copy));

  it('scan finds every legacy use in it', async () => {
    const result = await scan(EXAMPLE);
    expect(
      result.files.flatMap((file) => file.findings.map((f) => `${file.path}:${f.line} ${f.kind}`)),
    ).toEqual([
      'src/client.js:3 legacy-wire-path',
      'src/events.ts:2 legacy-import',
      'src/events.ts:3 legacy-import',
      'src/events.ts:5 legacy-reexport',
      'src/server.ts:2 legacy-import',
      'src/server.ts:3 legacy-import',
      'src/server.ts:4 legacy-import',
      'src/worker.cjs:3 legacy-require',
      'src/worker.cjs:8 direct-instantiation',
    ]);
    expect(result.score).toBe(0);
  });

  it('fix on a copy migrates the imports and leaves the wire path and the direct new for a human', async () => {
    const before = readTree(EXAMPLE);
    const result = await fix(copy);
    expect(result.changes.map((change) => change.path)).toEqual([
      'src/events.ts',
      'src/server.ts',
      'src/worker.cjs',
    ]);
    expect(readTree(EXAMPLE)).toEqual(before);

    const after = readTree(copy);
    expect(after['src/server.ts']).toBe(
      before['src/server.ts']
        ?.replace(
          [
            "import { createWebSocketManager, WebSocketManagerMode, UnifiedWebSocketManager } from '@app/ws-legacy';",
            "import { CRITICAL_EVENTS } from '@app/ws-legacy/manager';",
            "import { centralLogger } from '@app/ws-legacy/logging';",
          ].join('\n'),
          [
            "import { getWebSocketManager, WebSocketManager } from '@app/ws-core';",
            "import { CRITICAL_EVENTS } from '@app/ws-protocol';",
            "import { createLogger } from '@app/logging-ssot';",
            "const centralLogger = createLogger('app');",
          ].join('\n'),
        )
        .replace(
          'managerFor(ctx: RequestContext): UnifiedWebSocketManager',
          'managerFor(ctx: RequestContext): WebSocketManager',
        )
        .replace(
          'createWebSocketManager(ctx, WebSocketManagerMode.UNIFIED)',
          'getWebSocketManager(ctx)',
        ),
    );
    expect(after['src/client.js']).toBe(before['src/client.js']);

    const rescan = await scan(copy);
    expect(
      rescan.files.flatMap((file) => file.findings.map((f) => `${file.path}:${f.line} ${f.kind}`)),
    ).toEqual(['src/client.js:3 legacy-wire-path', 'src/worker.cjs:8 direct-instantiation']);
    expect(rescan.score).toBe(50);
    expect((await fix(copy)).changes).toEqual([]);
  });
});
