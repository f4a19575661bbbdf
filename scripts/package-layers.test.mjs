import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PACKAGE_LAYERS, forbiddenImports } from './package-layers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** One instance for every case: its TypeScript project service is built once. */
const eslint = new ESLint({ cwd: root });

/**
 * Lints `extraLine` added on top of an existing file, with the repository's own ESLint
 * configuration (the one `npm run lint` uses), without writing anything to disk.
 */
async function lintWithAddedLine(file, extraLine) {
  const filePath = path.join(root, file);
  const text = `${extraLine}\n${fs.readFileSync(filePath, 'utf8')}`;
  const [result] = await eslint.lintText(text, { filePath });
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports');
}

// Type-aware lint of a file builds a TypeScript program: slow on a loaded machine, never hung.
describe('layering is enforced by lint (docs/design/layering.md)', { timeout: 300_000 }, () => {
  it('a ws-core file that imports @app/ws-routes fails lint', async () => {
    const errors = await lintWithAddedLine(
      'packages/ws-core/src/index.ts',
      "import '@app/ws-routes';",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ severity: 2, line: 1 });
    expect(errors[0].message).toContain('@app/ws-core may not import @app/ws-routes');
  });

  it('so do a type-only import, a sub-path and a relative path into the package above', async () => {
    const errors = await Promise.all([
      lintWithAddedLine(
        'packages/ws-core/src/index.ts',
        "import type { WebSocketRoutesOptions } from '@app/ws-routes';\nexport type { WebSocketRoutesOptions };",
      ),
      lintWithAddedLine('packages/ws-protocol/src/index.ts', "import '@app/ws-core/testing';"),
      lintWithAddedLine('packages/ws-core/src/index.ts', "import '../../ws-routes/src/index';"),
    ]);
    for (const found of errors) expect(found).toHaveLength(1);
  });

  it('a sibling the package does not declare fails lint (ws-redis importing ws-routes)', async () => {
    const errors = await lintWithAddedLine(
      'packages/ws-redis/src/index.ts',
      "import '@app/ws-routes';",
    );
    expect(errors).toHaveLength(1);
  });

  it('a declared package below passes (ws-routes importing ws-core)', async () => {
    const errors = await lintWithAddedLine(
      'packages/ws-routes/src/index.ts',
      "import '@app/ws-core';",
    );
    expect(errors).toEqual([]);
  });

  it('nobody may import ws-legacy, and ws-migrate imports no workspace package', () => {
    const forbidden = new Map(forbiddenImports(root).map((entry) => [entry.name, entry.forbidden]));
    for (const name of Object.keys(PACKAGE_LAYERS)) {
      if (name !== '@app/ws-legacy') expect(forbidden.get(name)).toContain('@app/ws-legacy');
    }
    expect(forbidden.get('@app/ws-migrate')).toHaveLength(Object.keys(PACKAGE_LAYERS).length - 1);
  });
});
