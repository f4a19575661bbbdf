#!/usr/bin/env node
// The `ws-migrate` command as npm links it. Committed, not built: npm links a package's bin
// when it installs it, before a workspace has built anything, and skips a bin whose file does
// not exist yet. This shim exists from the start and loads the built CLI when it is run.
import fs from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);

if (fs.existsSync(cli)) {
  await import(cli.href);
} else {
  process.stderr.write(
    'ws-migrate: the CLI is not built yet (dist/cli.js is missing). Run `npm run build` in ' +
      'the repository (or `npx turbo run build --filter=@app/ws-migrate`), then try again.\n',
  );
  process.exitCode = 2;
}
