#!/usr/bin/env node
/**
 * `npm start`: builds chat-server and the packages it depends on (turbo caches what is already
 * built), then runs it in this process's place, forwarding signals and the exit code.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const turbo = path.join(root, 'node_modules', '.bin', 'turbo');
if (!existsSync(turbo)) {
  console.error('npm start: dependencies are not installed; run `npm install` first.');
  process.exit(1);
}

console.error('npm start: building chat-server and its packages…');
const build = spawnSync(
  turbo,
  ['run', 'build', '--filter=chat-server...', '--output-logs=errors-only'],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) {
  console.error(`npm start: the build failed (exit ${build.status ?? build.signal}); see above.`);
  process.exit(1);
}

const main = path.join(root, 'apps', 'chat-server', 'dist', 'main.js');
const server = spawn(process.execPath, ['--enable-source-maps', main], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
