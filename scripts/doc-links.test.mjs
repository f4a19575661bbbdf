import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  docCitations,
  findBrokenLinks,
  headingAnchors,
  markdownLinks,
  outsideCitations,
} from './doc-links.mjs';

// Citations are assembled at run time, so that the repository's own link check does not read
// this file's deliberately broken examples as citations.
const DOCS = 'docs';
const SECTION = '§';
const SPEC_DIR = ['shared', 'spec'].join('/');
const RULE = ['scale-out', 'rule'].join(' ');

let root;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A throwaway repository holding `files` (path → text). */
function repository(files) {
  root = mkdtempSync(join(tmpdir(), 'doc-links-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const PROTOCOL = [
  '# The protocol',
  '## 1. Connecting',
  '## 5. Client messages',
  '### 5.2 Resume at connect time',
  '## The first frame: `welcome`',
  '## Notes',
  '## Notes',
  '<a id="legacy-flat-events"></a>',
  'text',
].join('\n\n');

describe('headingAnchors', () => {
  it('slugs headings as GitHub does: numbers kept, dots and code marks dropped, repeats numbered', () => {
    expect([...headingAnchors(PROTOCOL)]).toEqual([
      'the-protocol',
      '1-connecting',
      '5-client-messages',
      '52-resume-at-connect-time',
      'the-first-frame-welcome',
      'notes',
      'notes-1',
      'legacy-flat-events',
    ]);
  });

  it('ignores heading-like lines inside code blocks', () => {
    expect([...headingAnchors('# Real\n\n```sh\n# not a heading\n```\n')]).toEqual(['real']);
  });
});

describe('markdownLinks and docCitations', () => {
  it('finds links, reference links and images with their lines', () => {
    const source = 'intro\n\nsee [a](a.md#x) and ![pic](p.png)\n\n[ref]\n\n[ref]: ../b.md\n';
    expect(markdownLinks(source)).toEqual([
      { target: 'a.md#x', line: 3 },
      { target: 'p.png', line: 3 },
      { target: '../b.md', line: 5 },
    ]);
  });

  it('finds docs citations in code, root-relative or file-relative, not docs folders of packages', () => {
    const code = [
      `// the order of ${DOCS}/protocol.md#5-client-messages.`,
      `// ../../${DOCS}/scaling.md and packages/x/${DOCS}/y.md`,
    ].join('\n');
    expect(docCitations(code)).toEqual([
      { target: `${DOCS}/protocol.md#5-client-messages`, line: 1, rootRelative: true },
      { target: `../../${DOCS}/scaling.md`, line: 2, rootRelative: false },
    ]);
  });
});

describe('findBrokenLinks', () => {
  const files = (extra) => ({
    [`${DOCS}/protocol.md`]: PROTOCOL,
    'README.md': `[protocol](${DOCS}/protocol.md#5-client-messages) [top](#readme)\n\n# Readme\n`,
    'packages/core/src/run.ts': `/** Order of ${DOCS}/protocol.md#1-connecting. */\n`,
    ...extra,
  });

  it('accepts links and citations that resolve', () => {
    const repo = repository(
      files({
        'packages/core/README.md': `[p](../../${DOCS}/protocol.md#legacy-flat-events) [src](src/run.ts)`,
      }),
    );
    expect(findBrokenLinks(repo, Object.keys(files({ 'packages/core/README.md': '' })))).toEqual({
      checked: 5,
      problems: [],
    });
  });

  it('catches a broken anchor in a code citation', () => {
    const repo = repository(
      files({ 'packages/core/src/emit.ts': `\n// see ${DOCS}/protocol.md#5-client-message\n` }),
    );
    const { problems } = findBrokenLinks(repo, [
      `${DOCS}/protocol.md`,
      'packages/core/src/emit.ts',
    ]);
    expect(problems).toEqual([
      {
        file: 'packages/core/src/emit.ts',
        line: 2,
        target: `${DOCS}/protocol.md#5-client-message`,
        reason: `names no heading of ${DOCS}/protocol.md (#5-client-message)`,
      },
    ]);
  });

  it('catches a broken anchor, a missing file and a path outside the repository in Markdown', () => {
    const repo = repository(
      files({
        [`${DOCS}/guide.md`]: [
          '[a](protocol.md#2-the-first-frame)',
          '[b](missing.md)',
          '[c](../../outside/spec.md)',
          '[d](#nowhere)',
          '[e](https://example.com/x.md#y)',
        ].join('\n\n'),
      }),
    );
    const { problems } = findBrokenLinks(repo, [`${DOCS}/guide.md`, `${DOCS}/protocol.md`]);
    expect(problems.map(({ line, reason }) => `${line} ${reason}`)).toEqual([
      `1 names no heading of ${DOCS}/protocol.md (#2-the-first-frame)`,
      `3 names a file that does not exist (${DOCS}/missing.md)`,
      '5 points outside the repository',
      `7 names no heading of ${DOCS}/guide.md (#nowhere)`,
    ]);
  });

  it('reads a citation in a Markdown file as root-relative too', () => {
    const repo = repository(files({ 'apps/a/README.md': `Set up: \`${DOCS}/scale.md#rules\`.` }));
    const { problems } = findBrokenLinks(repo, ['apps/a/README.md']);
    expect(problems.map((p) => p.reason)).toEqual([
      `names a file that does not exist (${DOCS}/scale.md)`,
    ]);
  });
});

describe('outsideCitations', () => {
  it('reports paths outside the repository and citations by section or rule number', () => {
    const code = [
      `// the order of protocol ${SECTION}3`,
      `// see /work/${SPEC_DIR}/scale-out.md`,
      `// one log line per state change (${RULE} 6)`,
      `// protocol-v1 ${SECTION}1 and ${SECTION}7`,
    ].join('\n');
    expect(outsideCitations(code).map(({ line, target }) => `${line} ${target}`)).toEqual([
      `1 protocol ${SECTION}3`,
      `2 ${SPEC_DIR}`,
      `3 ${RULE} 6`,
      `4 protocol-v1 ${SECTION}1`,
    ]);
  });

  it("keeps ws-migrate's printed finding for a legacy wire path", () => {
    const finding = `\`\${path} → /ws (legacy wire mode, protocol ${SECTION}7)\``;
    expect(outsideCitations(finding)).toEqual([]);
  });

  it('fails the check of a repository whose code cites a spec section', () => {
    const repo = repository({ 'src/a.ts': `\n/** Order of protocol ${SECTION}3. */\n` });
    expect(findBrokenLinks(repo, ['src/a.ts']).problems).toEqual([
      {
        file: 'src/a.ts',
        line: 2,
        target: `protocol ${SECTION}3`,
        reason: 'cites a protocol section by number; cite its docs/protocol.md anchor',
      },
    ]);
  });
});
