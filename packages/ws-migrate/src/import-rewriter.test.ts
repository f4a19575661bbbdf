import { describe, expect, it } from 'vitest';
import { rewriteLegacyImports } from './import-rewriter.js';

function rewrite(fileName: string, text: string): string {
  const outcome = rewriteLegacyImports(fileName, text);
  if (outcome.kind !== 'rewritten') throw new Error(`unexpected parse error: ${outcome.message}`);
  return outcome.output;
}

describe('rewriteLegacyImports', () => {
  it('returns a file without legacy imports unchanged', () => {
    const text = "import { getWebSocketManager } from '@app/ws-core';\n";
    expect(rewrite('a.ts', text)).toBe(text);
  });

  it('reports a syntax error with its line instead of rewriting', () => {
    const text = "import { WebSocketManager } from '@app/ws-legacy';\n\nconst = ;\n";
    expect(rewriteLegacyImports('broken.ts', text)).toMatchObject({ kind: 'parse-error', line: 3 });
  });

  it('treats type annotations in a .js file as a syntax error', () => {
    const text =
      "import { WebSocketManager } from '@app/ws-legacy';\nconst m: WebSocketManager = x;\n";
    expect(rewriteLegacyImports('a.js', text)).toMatchObject({ kind: 'parse-error', line: 2 });
  });

  it('keeps CRLF line breaks and a byte-order mark', () => {
    const text =
      "\uFEFFimport { centralLogger } from '@app/ws-legacy/logging';\r\nimport { x } from './x';\r\n\r\ncentralLogger.info(x);\r\n";
    expect(rewrite('a.ts', text)).toBe(
      "\uFEFFimport { createLogger } from '@app/logging-ssot';\r\nimport { x } from './x';\r\nconst centralLogger = createLogger('app');\r\n\r\ncentralLogger.info(x);\r\n",
    );
  });

  it('renames only references bound to the import, not shadowing locals or properties', () => {
    const text = [
      "import { UnifiedWebSocketManager } from '@app/ws-legacy';",
      'function make(UnifiedWebSocketManager: string) {',
      '  return UnifiedWebSocketManager;',
      '}',
      'const o = { UnifiedWebSocketManager: 1 };',
      'o.UnifiedWebSocketManager;',
      'export const m = new UnifiedWebSocketManager();',
    ].join('\n');
    expect(rewrite('a.ts', text)).toBe(
      [
        "import { WebSocketManager } from '@app/ws-core';",
        'function make(UnifiedWebSocketManager: string) {',
        '  return UnifiedWebSocketManager;',
        '}',
        'const o = { UnifiedWebSocketManager: 1 };',
        'o.UnifiedWebSocketManager;',
        'export const m = new WebSocketManager();',
      ].join('\n'),
    );
  });

  it('keeps names the table does not know, and a default import, on the legacy import', () => {
    const text =
      "import legacy, { Unknown, WebSocketManager } from '@app/ws-legacy';\nnew WebSocketManager(legacy, Unknown);\n";
    expect(rewrite('a.ts', text)).toBe(
      "import legacy, { Unknown } from '@app/ws-legacy';\nimport { WebSocketManager } from '@app/ws-core';\nnew WebSocketManager(legacy, Unknown);\n",
    );
  });

  it('removes the named list when only a default import is left', () => {
    const text =
      "import legacy, { WebSocketManager } from '@app/ws-legacy';\nnew WebSocketManager(legacy);\n";
    expect(rewrite('a.ts', text)).toBe(
      "import legacy from '@app/ws-legacy';\nimport { WebSocketManager } from '@app/ws-core';\nnew WebSocketManager(legacy);\n",
    );
  });

  it('leaves createWebSocketManager when it is used other than as a direct call', () => {
    const text =
      "import { createWebSocketManager } from '@app/ws-legacy';\nexport const factories = [createWebSocketManager];\n";
    expect(rewrite('a.ts', text)).toBe(text);
  });

  it('drops literal and name mode arguments, keeps calls with side-effect arguments', () => {
    const text = [
      "import { createWebSocketManager } from '@app/ws-legacy';",
      "createWebSocketManager(ctx, 'legacy');",
      'createWebSocketManager(ctx, mode);',
      'createWebSocketManager(ctx);',
    ].join('\n');
    expect(rewrite('a.ts', text)).toBe(
      [
        "import { getWebSocketManager } from '@app/ws-core';",
        'getWebSocketManager(ctx);',
        'getWebSocketManager(ctx);',
        'getWebSocketManager(ctx);',
      ].join('\n'),
    );
    const unsafe =
      "import { createWebSocketManager } from '@app/ws-legacy';\ncreateWebSocketManager(...args);\n";
    expect(rewrite('a.ts', unsafe)).toBe(unsafe);
  });

  it('keeps WebSocketManagerMode while something still uses it', () => {
    const text =
      "import { WebSocketManagerMode, getWebSocketManager } from '@app/ws-legacy';\nexport const mode = WebSocketManagerMode.UNIFIED;\ngetWebSocketManager(ctx);\n";
    expect(rewrite('a.ts', text)).toBe(
      "import { WebSocketManagerMode } from '@app/ws-legacy';\nimport { getWebSocketManager } from '@app/ws-core';\nexport const mode = WebSocketManagerMode.UNIFIED;\ngetWebSocketManager(ctx);\n",
    );
  });

  it('removes an import of WebSocketManagerMode that nothing uses', () => {
    const text =
      "import { WebSocketManagerMode } from '@app/ws-legacy/manager';\nexport const x = 1;\n";
    expect(rewrite('a.ts', text)).toBe('export const x = 1;\n');
  });

  it('merges two legacy imports renamed to the same canonical name into one binding', () => {
    const text = [
      "import { UnifiedWebSocketManager } from '@app/ws-legacy/unified-manager';",
      "import { WebSocketConnectionManager } from '@app/ws-legacy';",
      'export const all = [UnifiedWebSocketManager, WebSocketConnectionManager];',
    ].join('\n');
    expect(rewrite('a.ts', text)).toBe(
      [
        "import { WebSocketManager } from '@app/ws-core';",
        'export const all = [WebSocketManager, WebSocketManager];',
      ].join('\n'),
    );
  });

  it('does not merge require() destructuring into a canonical require that comes later', () => {
    const text = [
      "const { WebSocketManager } = require('@app/ws-legacy');",
      'const early = WebSocketManager;',
      "const { getWebSocketManager } = require('@app/ws-core');",
    ].join('\n');
    expect(rewrite('a.cjs', text)).toBe(
      [
        "const { WebSocketManager } = require('@app/ws-core');",
        'const early = WebSocketManager;',
        "const { getWebSocketManager } = require('@app/ws-core');",
      ].join('\n'),
    );
  });

  it('keeps quotes and the absence of semicolons', () => {
    const text =
      'import { CRITICAL_EVENTS, WebSocketManager } from "@app/ws-legacy"\nexport { CRITICAL_EVENTS, WebSocketManager }\n';
    expect(rewrite('a.ts', text)).toBe(
      'import { CRITICAL_EVENTS } from "@app/ws-protocol"\nimport { WebSocketManager } from "@app/ws-core"\nexport { CRITICAL_EVENTS, WebSocketManager }\n',
    );
  });

  it('is idempotent on everything it produces', () => {
    const text = [
      "import { UnifiedWebSocketManager, createWebSocketManager, WebSocketManagerMode } from '@app/ws-legacy';",
      "import { centralLogger, getUnifiedLogger } from '@app/ws-legacy/logging';",
      'export const m: UnifiedWebSocketManager = createWebSocketManager(ctx, WebSocketManagerMode.UNIFIED);',
      "export const l = [centralLogger, getUnifiedLogger('x'), WebSocketManagerMode];",
    ].join('\n');
    const once = rewrite('a.ts', text);
    expect(once).not.toBe(text);
    expect(rewrite('a.ts', once)).toBe(once);
  });
});
