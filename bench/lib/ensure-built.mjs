/**
 * The bench servers import the BUILT packages (their dist, through the package names). Before a
 * run: when a package's dist is missing or older than its src, build with turbo (bounded);
 * when that build fails, go on with the existing dist if it has the needed exports, and say so.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BENCH = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['logging-ssot', 'ws-protocol', 'ws-core', 'ws-routes', 'ws-redis'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!entry.name.includes('.test.')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Built apps the scenarios start as processes: name → its entry in dist. */
const APPS = { 'chat-server': 'main.js' };

function isStale(dir, entry) {
  const dist = join(dir, 'dist', entry);
  const src = join(dir, 'src');
  if (!existsSync(src)) return false;
  return !existsSync(dist) || statSync(dist).mtimeMs < newestMtime(src);
}

function stalePackages() {
  return [
    ...PACKAGES.filter((name) => isStale(join(ROOT, 'packages', name), 'index.js')),
    ...Object.entries(APPS)
      .filter(([name, entry]) => isStale(join(ROOT, 'apps', name), entry))
      .map(([name]) => name),
  ];
}

/** Whether the built ours-server dependencies export what it uses (checked in a child process). */
function checkExports() {
  const probe = `
    const core = await import('@app/ws-core');
    const routes = await import('@app/ws-routes');
    const logging = await import('@app/logging-ssot');
    const missing = [];
    for (const [m, names] of [[core, ['createWebSocketHub', 'createUserContext']],
      [routes, ['attachWebSocketRoutes', 'createTokenVerifier', 'createInMemoryTicketStore']],
      [logging, ['configureLogging', 'createLogger']]]) for (const n of names) if (typeof m[n] !== 'function') missing.push(n);
    console.log(JSON.stringify(missing));`;
  try {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: BENCH,
      encoding: 'utf8',
      timeout: 30_000,
    });
    const missing = JSON.parse(out.trim().split('\n').at(-1));
    return missing.length ? `the built packages lack ${missing.join(', ')}` : undefined;
  } catch (error) {
    return `the built packages cannot be imported: ${String(error.stderr ?? error.message)
      .split('\n')
      .slice(0, 3)
      .join(' ')}`;
  }
}

/**
 * @param {{build: boolean, log: (line: string) => void, timeoutMs: number}} options
 * @returns {Promise<{built: string[], warning?: string}>}
 */
export async function ensureBuilt({ build, log, timeoutMs }) {
  const stale = stalePackages();
  let warning;
  if (stale.length && build) {
    log(`building ${stale.join(', ')} (dist missing or older than src) with turbo…`);
    const filters = stale.map((name) => `--filter=${name in APPS ? name : `@app/${name}`}...`);
    const result = await new Promise((resolve) => {
      execFile(
        'npx',
        ['turbo', 'run', 'build', ...filters, '--output-logs=errors-only'],
        { cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 << 20 },
        (error, stdout, stderr) => resolve({ error, output: `${stdout}\n${stderr}` }),
      );
    });
    if (result.error) {
      warning = `build of ${stale.join(', ')} failed, using the existing dist: ${result.output.trim().split('\n').slice(-5).join(' | ')}`;
      log(`warning: ${warning}`);
    }
  } else if (stale.length) {
    warning = `dist older than src for ${stale.join(', ')} (--no-build): figures are for the built code`;
    log(`warning: ${warning}`);
  }
  const problem = checkExports();
  if (problem)
    throw new Error(`${problem}; build them: npx turbo run build --filter=@app/ws-routes...`);
  return { built: build ? stale : [], warning };
}
