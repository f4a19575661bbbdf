/**
 * Proves the `@deprecated` tags reach consumers: ESLint, with the repository's own config and
 * `@typescript-eslint/no-deprecated` switched on, must report every use of a legacy export in
 * `test-fixtures/legacy-usage.ts` — values and types, through all four entry points.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = path.resolve(packageDir, '../..');
const fixture = path.join(packageDir, 'test-fixtures/legacy-usage.ts');
const srcDir = path.join(packageDir, 'src');

/** Files that declare nothing a consumer can reach: the entry points wire, these two are internal. */
const NOT_DECLARING_EXPORTS = new Set([
  'index.ts',
  'manager.ts',
  'unified-manager.ts',
  'logging.ts',
  'deprecation-codes.ts',
  'emit-deprecation.ts',
]);

const NAMESPACES: Record<string, string[]> = {
  root: [
    'CRITICAL_EVENTS',
    'UnifiedWebSocketManager',
    'WebSocketConnectionManager',
    'WebSocketManager',
    'WebSocketManagerMode',
    'createWebSocketManager',
    'getWebSocketManager',
  ],
  manager: [
    'WebSocketConnectionManager',
    'WebSocketManager',
    'WebSocketManagerMode',
    'createWebSocketManager',
    'getWebSocketManager',
  ],
  unified: [
    'UnifiedWebSocketManager',
    'WebSocketManagerMode',
    'createWebSocketManager',
    'getWebSocketManager',
  ],
  logging: ['centralLogger', 'getUnifiedLogger'],
};

/** Every `namespace.name` use in the fixture, as `namespace.name@line:column` (column of `name`). */
function usesInFixture(source: string): string[] {
  const uses: string[] = [];
  source.split('\n').forEach((line, index) => {
    if (/^\s*(\/\*\*|\*|import )/.test(line)) return;
    for (const match of line.matchAll(/\b(root|manager|unified|logging)\.([A-Za-z_]+)/g)) {
      const column = (match.index ?? 0) + (match[1]?.length ?? 0) + 2;
      uses.push(`${match[1]}.${match[2]}@${index + 1}:${column}`);
    }
  });
  return uses;
}

describe('@deprecated JSDoc on every export', () => {
  it('lets @typescript-eslint/no-deprecated report every use of every legacy export', async () => {
    const source = fs.readFileSync(fixture, 'utf8');
    const uses = usesInFixture(source);

    // The fixture itself must cover every export of every entry point.
    const covered = new Set(uses.map((use) => use.split('@')[0]));
    for (const [namespace, names] of Object.entries(NAMESPACES)) {
      for (const name of names)
        expect(covered, `${namespace}.${name}`).toContain(`${namespace}.${name}`);
    }

    const eslint = new ESLint({
      cwd: repoRoot,
      overrideConfig: { rules: { '@typescript-eslint/no-deprecated': 'error' } },
    });
    const [result] = await eslint.lintFiles([fixture]);
    expect(result?.messages.filter((message) => message.fatal)).toEqual([]);

    const lines = source.split('\n');
    const reported = (result?.messages ?? [])
      .filter((message) => message.ruleId === '@typescript-eslint/no-deprecated')
      .map((message) => {
        const before = lines[message.line - 1]?.slice(0, message.column - 1) ?? '';
        const namespace = /(\w+)\.$/.exec(before)?.[1] ?? '?';
        const name = /^[A-Za-z_]+/.exec(
          lines[message.line - 1]?.slice(message.column - 1) ?? '',
        )?.[0];
        expect(message.message).toMatch(/'@app\/(ws-core|ws-protocol|logging-ssot)'/);
        return `${namespace}.${name}@${message.line}:${message.column}`;
      });

    expect([...reported].sort()).toEqual([...uses].sort());
  }, 120_000);
});

describe('@deprecated JSDoc on every declaration', () => {
  const files = fs
    .readdirSync(srcDir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .filter((name) => !NOT_DECLARING_EXPORTS.has(name));

  it.each(files)('%s: each exported declaration (value and type) names its replacement', (name) => {
    const text = fs.readFileSync(path.join(srcDir, name), 'utf8');
    const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
    const exported = source.statements.filter(
      (statement) =>
        ts.canHaveModifiers(statement) &&
        ts
          .getModifiers(statement)
          ?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword),
    );
    expect(exported.length).toBeGreaterThan(0);
    for (const statement of exported) {
      const declaration = ts.isVariableStatement(statement)
        ? statement.declarationList.declarations[0]!
        : statement;
      const tag = ts.getJSDocDeprecatedTag(declaration);
      const where = `${name}:${source.getLineAndCharacterOfPosition(statement.getStart()).line + 1}`;
      expect(tag, `${where} has no @deprecated tag`).toBeDefined();
      expect(ts.getTextOfJSDocComment(tag?.comment) ?? '', where).toMatch(
        /'@app\/(ws-core|ws-protocol|logging-ssot)'/,
      );
    }
  });
});
