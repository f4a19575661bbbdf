#!/usr/bin/env node
/**
 * `npm run lint:links`: fails when a relative Markdown link or a `docs/….md#anchor` citation in
 * any tracked (or new, not ignored) text file names a missing file or heading, or when a text
 * cites a path outside the repository or a protocol section / scale-out rule by number
 * (see scripts/doc-links.mjs). Offline; prints one line per problem.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBrokenLinks } from './doc-links.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
  {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  },
)
  .split('\0')
  .filter((file) => file !== '' && existsSync(join(root, file)));

const { checked, problems } = findBrokenLinks(root, [...new Set(files)]);
for (const { file, line, target, reason } of problems) {
  console.error(`${file}:${line}: ${target} ${reason}`);
}
if (problems.length > 0) {
  console.error(
    `${problems.length} broken link(s) or outside citation(s); see docs/protocol.md and the other docs/ pages for the anchors to cite.`,
  );
  process.exit(1);
}
console.log(`Documentation links: ${checked} links in ${files.length} files, none broken.`);
