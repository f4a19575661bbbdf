/**
 * Tests that spawn the BUILT server (multi-node, chaos) refuse a `dist` older than its sources:
 * they would otherwise test yesterday's code and pass or fail for the wrong reason.
 *
 * A workspace is stale when a non-test source file is newer than everything in its `dist` AND
 * turbo would rebuild it (a cache miss: the content changed). Either signal alone misleads: turbo
 * leaves `dist` untouched on a cache hit, so mtimes can be older after a checkout; and a test
 * file edit is a turbo input but changes nothing in `dist`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The workspaces whose `dist` the server process loads, by turbo package name. */
const BUILT = [
  { name: 'chat-server', dir: 'apps/chat-server', sources: ['src', 'web'] },
  ...['logging-ssot', 'ws-protocol', 'ws-core', 'ws-routes', 'ws-redis', 'ws-client'].map(
    (name) => ({ name: `@app/${name}`, dir: `packages/${name}`, sources: ['src'] }),
  ),
];

const REBUILD =
  'npx turbo run build --filter=chat-server... (npm test and npm run test:mutants do)';

function newestMtime(dir: string, skip: (name: string) => boolean): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(full, skip) : statSync(full).mtimeMs,
    );
  }
  return newest;
}

const isTestFile = (name: string): boolean => /\.test(-d)?\.[cm]?[jt]s$/.test(name);

/** Workspaces with a source file newer than their `dist` (by mtime only). */
function newerSources(): string[] {
  return BUILT.filter(({ dir, sources }) => {
    const built = newestMtime(path.join(ROOT, dir, 'dist'), () => false);
    const source = Math.max(
      ...sources.map((s) => newestMtime(path.join(ROOT, dir, s), isTestFile)),
    );
    return built === 0 || source > built;
  }).map(({ name }) => name);
}

/** Of `names`, those turbo would rebuild now (cache misses of a dry run). */
function turboMisses(names: string[]): string[] {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // a wire mutant's --require is meant for the servers, not turbo
  const output = execFileSync(
    path.join(ROOT, 'node_modules/.bin/turbo'),
    ['run', 'build', '--filter=chat-server...', '--dry=json'],
    { cwd: ROOT, env: { ...env, TURBO_TELEMETRY_DISABLED: '1' }, encoding: 'utf8' },
  );
  const plan = JSON.parse(output) as {
    tasks: { package: string; cache: { status: string } }[];
  };
  return plan.tasks
    .filter((task) => names.includes(task.package) && task.cache.status !== 'HIT')
    .map((task) => task.package);
}

let checked = false;

/**
 * Throws, naming the stale workspaces and how to rebuild, when the server's `dist` (or a
 * package `dist` it loads) is older than its sources. Checked once per test process.
 */
export function assertFreshBuild(): void {
  if (checked) return;
  const suspects = newerSources();
  const stale = suspects.length === 0 ? [] : turboMisses(suspects);
  if (stale.length > 0) {
    throw new Error(
      `The built server is older than its sources (${stale.join(', ')}): these tests run ` +
        `apps/chat-server/dist, so rebuild first: ${REBUILD}`,
    );
  }
  checked = true;
}
