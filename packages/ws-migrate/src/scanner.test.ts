import { describe, expect, it } from 'vitest';
import { scanSource } from './scanner.js';

function kindsAndLines(fileName: string, text: string): [number, string][] {
  return scanSource(fileName, text).findings.map((finding) => [finding.line, finding.kind]);
}

describe('scanSource', () => {
  it('finds every form of legacy module reference with its kind and line', () => {
    const text = [
      "import { WebSocketManager } from '@app/ws-legacy';",
      "import type { WebSocketManagerMode } from '@app/ws-legacy/manager';",
      "export { CRITICAL_EVENTS } from '@app/ws-legacy/unified-manager';",
      "export * from '@app/ws-legacy/logging';",
      "const { getUnifiedLogger } = require('@app/ws-legacy/logging');",
      "import legacy = require('@app/ws-legacy');",
      'async function load() {',
      "  return import('@app/ws-legacy/manager');",
      '}',
      "type T = import('@app/ws-legacy').WebSocketManager;",
      "import '@app/ws-legacy';",
    ].join('\n');
    expect(kindsAndLines('a.ts', text)).toEqual([
      [1, 'legacy-import'],
      [2, 'legacy-import'],
      [3, 'legacy-reexport'],
      [4, 'legacy-reexport'],
      [5, 'legacy-require'],
      [6, 'legacy-require'],
      [8, 'legacy-dynamic-import'],
      [10, 'legacy-import'],
      [11, 'legacy-import'],
    ]);
  });

  it('describes names and their canonical modules', () => {
    const [finding] = scanSource(
      'a.ts',
      "import { UnifiedWebSocketManager, CRITICAL_EVENTS, WebSocketManagerMode } from '@app/ws-legacy';",
    ).findings;
    expect(finding?.detail).toBe(
      '@app/ws-legacy { UnifiedWebSocketManager, CRITICAL_EVENTS, WebSocketManagerMode } → @app/ws-core, @app/ws-protocol (WebSocketManagerMode: no replacement)',
    );
  });

  it('reports a multi-line require destructuring where the declaration starts', () => {
    const text = "const {\n  WebSocketManager,\n} = require('@app/ws-legacy');\n";
    expect(scanSource('a.cjs', text).findings).toEqual([
      {
        line: 1,
        kind: 'legacy-require',
        detail: '@app/ws-legacy { WebSocketManager } → @app/ws-core',
      },
    ]);
  });

  it('ignores legacy names in comments and unrelated strings', () => {
    const text = [
      "// import { WebSocketManager } from '@app/ws-legacy';",
      "/* require('@app/ws-legacy') */",
      'const doc = "import x from \'@app/ws-legacy\'";',
      "const note = 'new WebSocketManager(ctx)';",
    ].join('\n');
    expect(scanSource('a.ts', text)).toEqual({ findings: [], touchesWs: false });
  });

  it('finds direct instantiation, following aliases, outside the factory', () => {
    const text = [
      "import { UnifiedWebSocketManager as M } from '@app/ws-legacy';",
      "import * as core from '@app/ws-core';",
      "import { WebSocketManager } from '@app/ws-core';",
      'const a = new M(ctx);',
      'const b = new core.WebSocketManager(ctx);',
      'const c = new WebSocketManager(ctx);',
      'export function getWebSocketManager(ctx) {',
      '  return new WebSocketManager(ctx);',
      '}',
      'const createWebSocketManager = (ctx) => new WebSocketManager(ctx);',
    ].join('\n');
    const findings = scanSource('a.ts', text).findings.filter(
      (f) => f.kind === 'direct-instantiation',
    );
    expect(findings.map((f) => [f.line, f.detail])).toEqual([
      [4, 'new M (UnifiedWebSocketManager)(…) → getWebSocketManager(ctx) from @app/ws-core'],
      [5, 'new WebSocketManager(…) → getWebSocketManager(ctx) from @app/ws-core'],
      [6, 'new WebSocketManager(…) → getWebSocketManager(ctx) from @app/ws-core'],
    ]);
  });

  it('leaves classes of the same name that are not the ws packages alone', () => {
    const own = 'class WebSocketManager {}\nexport const m = new WebSocketManager();';
    const imported =
      "import { WebSocketManager } from './manager';\nexport const m = new WebSocketManager();";
    const required = "const { WebSocketManager } = require('./manager');\nnew WebSocketManager();";
    expect(scanSource('a.ts', own).findings).toEqual([]);
    expect(scanSource('b.ts', imported).findings).toEqual([]);
    expect(scanSource('c.cjs', required).findings).toEqual([]);
  });

  it('finds legacy wire paths in strings, templates and JSX attributes, not in specifiers', () => {
    const text = [
      "import handler from './websocket';",
      "const a = '/websocket';",
      'const b = `wss://${host}/websocket`;',
      'const c = `/ws?lastSeq=${seq}&mode=legacy`;',
      "const d = '/api/v1/websocket';",
      'export const e = <Socket url="/ws?mode=legacy" />;',
    ].join('\n');
    expect(kindsAndLines('a.tsx', text)).toEqual([
      [2, 'legacy-wire-path'],
      [3, 'legacy-wire-path'],
      [4, 'legacy-wire-path'],
      [6, 'legacy-wire-path'],
    ]);
  });

  it('counts a file touching only canonical packages as touching without findings', () => {
    expect(scanSource('a.ts', "import { getWebSocketManager } from '@app/ws-core';")).toEqual({
      findings: [],
      touchesWs: true,
    });
    expect(scanSource('b.cjs', "const p = require('@app/ws-protocol');").touchesWs).toBe(true);
    expect(scanSource('c.ts', "import { createLogger } from '@app/logging-ssot';").touchesWs).toBe(
      false,
    );
  });

  it('parses JSX in .js files and type syntax only in TypeScript files', () => {
    const jsx =
      "import { WebSocketManager } from '@app/ws-legacy';\nexport const X = () => <div/>;";
    expect(kindsAndLines('a.jsx', jsx)).toEqual([[1, 'legacy-import']]);
    expect(kindsAndLines('a.js', jsx)).toEqual([[1, 'legacy-import']]);
    const generic =
      "import { WebSocketManager } from '@app/ws-legacy';\nconst f = <T,>(x: T) => x;";
    expect(kindsAndLines('a.mts', generic)).toEqual([[1, 'legacy-import']]);
  });
});
