/**
 * Shared vitest settings: every `@app/*` import (and each of its subpath exports) resolves to the
 * package's TypeScript sources, so `npm test` runs against sources without a build. The mapping
 * follows the exports maps: `./dist/<entry>.js` is built from `./src/<entry>.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.dirname(fileURLToPath(import.meta.url));

interface ExportTarget {
  /** ESM-only packages: `{ types, default }`. */
  default?: string;
  /** Packages that also ship CommonJS: `{ import: { types, default }, require: … }`. */
  import?: { default?: string };
}

function collectAliases(): { find: RegExp; replacement: string }[] {
  const aliases: { find: RegExp; replacement: string }[] = [];
  const packagesDir = path.join(rootDir, 'packages');
  for (const dir of fs.readdirSync(packagesDir)) {
    const manifestPath = path.join(packagesDir, dir, 'package.json');
    if (!fs.existsSync(manifestPath)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as {
      name: string;
      exports?: Record<string, ExportTarget | string>;
    };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (typeof target === 'string') continue;
      const built = target.default ?? target.import?.default;
      if (!built) continue;
      const source = built.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts');
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      aliases.push({
        find: new RegExp(`^${specifier.replace(/[/\\^$.*+?()[\]{}|-]/g, '\\$&')}$`),
        replacement: path.join(packagesDir, dir, source),
      });
    }
  }
  return aliases;
}

/** Aliases from every `@app/*` specifier to its source file. */
export const sourceAliases = collectAliases();

/** Setup file for canonical packages: this project's deprecation warnings become errors. */
export const canonicalSetup = path.join(rootDir, 'vitest.setup.canonical.ts');

/**
 * Test and hook timeouts of the packages: guards against a hang, not latency bounds — wide
 * enough that a CPU-bound property test or a real socket does not time out on a loaded 2-core
 * machine (vitest's 5 s default does there). Timing is a benchmark figure (`npm run bench`).
 */
export const hangGuards = { testTimeout: 30_000, hookTimeout: 30_000 } as const;

/**
 * Type tests: `*.test-d.ts` files hold `expectTypeOf` checks, which `tsc` proves during every
 * `npm test` (vitest's typecheck mode) instead of passing as runtime tests that check nothing.
 */
export const typeTests: { enabled: boolean; include: string[] } = {
  enabled: true,
  include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
};
