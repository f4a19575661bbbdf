/**
 * The repository's own links, checked offline: every relative link of a Markdown file and every
 * `docs/….md#anchor` citation in any text file must name a file of the repository and, when it
 * carries a fragment into a Markdown file, one of that file's anchors.
 *
 * Anchors are GitHub's: `github-slugger` over the text of each heading as `markdown-it` parses it
 * (so `## 5. Client messages` is `#5-client-messages`, a repeated heading gets `-1`, `-2`…), plus
 * explicit `<a id="…">` / `<a name="…">` in HTML.
 *
 * It also reports citations that leave the repository — a path to the specs it was built from, or
 * a protocol section / scale-out rule by number — since the repository stands on its own docs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: true });

/** Text files whose `docs/….md#anchor` citations are checked (Markdown files also for links). */
export const CHECKED_EXTENSIONS = new Set([
  '.md',
  '.ts',
  '.tsx',
  '.mts',
  '.cts',
  '.js',
  '.mjs',
  '.cjs',
  '.json',
  '.yml',
  '.yaml',
  '.sh',
  '.html',
  '.css',
]);

const HTML_ANCHOR = /<a\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']/gi;

/**
 * A `docs/….md` path cited in text, with its optional `#anchor`: relative to the repository's root
 * (`docs/…`) or, when it starts with `./` or `../`, to the citing file. Not a `docs/` folder inside
 * another path (`packages/x/docs/…` is not a citation).
 */
const CITATION = /(?<![\w./-])((?:\.\.?\/)*docs\/[\w./-]*?\.md)(#[\w-]+)?/g;

/**
 * Citations that point outside the repository, or by section number at documents it no longer
 * cites that way: code and docs cite `docs/<file>.md#anchor`. Each is reported with a hint.
 */
const OUTSIDE_CITATIONS = [
  { pattern: /shared\/spec/g, hint: 'names a path outside the repository; cite the docs/ page' },
  {
    pattern: /\bprotocol(?:-v1)? §\s*\d/g,
    hint: 'cites a protocol section by number; cite its docs/protocol.md anchor',
  },
  {
    pattern: /\bscale-out(?:\.md)? rules? \d/g,
    hint: 'cites a scale-out rule by number; cite its docs/scaling.md anchor',
  },
];

/**
 * Text that may keep a numbered citation: `ws-migrate`'s finding for a legacy wire path, output
 * printed in other repositories, where the number names section 7 of this project's protocol.
 */
const ALLOWED_NUMBERED_CITATIONS = ['(legacy wire mode, protocol §7)'];

/** Every citation of a text that points outside the repository, with its 1-based line. */
export function outsideCitations(text) {
  const found = [];
  for (const { pattern, hint } of OUTSIDE_CITATIONS) {
    for (const match of text.matchAll(pattern)) {
      const lineStart = text.lastIndexOf('\n', match.index) + 1;
      const lineEnd = text.indexOf('\n', match.index);
      const lineText = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
      if (ALLOWED_NUMBERED_CITATIONS.some((allowed) => lineText.includes(allowed))) continue;
      const line = text.slice(0, match.index).split('\n').length;
      found.push({ target: match[0], line, reason: hint });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The anchors a Markdown document offers, GitHub-style. */
export function headingAnchors(source) {
  const slugger = new GithubSlugger();
  const anchors = new Set();
  const tokens = markdown.parse(source, {});
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      anchors.add(slugger.slug(headingText(tokens[i + 1])));
    }
    if (token.type === 'html_block' || token.type === 'inline') {
      const html = token.type === 'html_block' ? token.content : inlineHtml(token);
      for (const match of html.matchAll(HTML_ANCHOR)) anchors.add(match[1]);
    }
  });
  return anchors;
}

/** The text content of a heading's inline token, as GitHub slugs it (markup dropped). */
function headingText(inline) {
  return (inline.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('');
}

function inlineHtml(inline) {
  return (inline.children ?? [])
    .filter((child) => child.type === 'html_inline')
    .map((child) => child.content)
    .join('');
}

/** Every link and image target of a Markdown document, with its 1-based line. */
export function markdownLinks(source) {
  const links = [];
  const visit = (tokens, line) => {
    for (const token of tokens) {
      const at = token.map ? token.map[0] + 1 : line;
      if (token.type === 'link_open') links.push({ target: token.attrGet('href'), line: at });
      if (token.type === 'image') links.push({ target: token.attrGet('src'), line: at });
      if (token.children) visit(token.children, at);
    }
  };
  visit(markdown.parse(source, {}), 1);
  return links;
}

/** Every `docs/….md[#anchor]` citation of a text, with its 1-based line. */
export function docCitations(text) {
  const citations = [];
  for (const match of text.matchAll(CITATION)) {
    const line = text.slice(0, match.index).split('\n').length;
    citations.push({
      target: match[1] + (match[2] ?? ''),
      line,
      rootRelative: !match[1].startsWith('.'),
    });
  }
  return citations;
}

/** Whether a link target leaves the repository's files (a URL, a mail address, …). */
function isExternal(target) {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/**
 * Checks `files` (paths relative to `root`): `{ checked, problems }`, the number of links and
 * citations looked at and every broken one as `{ file, line, target, reason }`, in file order.
 * Nothing is fetched over the network.
 */
export function findBrokenLinks(root, files) {
  const anchorCache = new Map();
  const anchorsOf = (absolute) => {
    if (!anchorCache.has(absolute)) {
      anchorCache.set(absolute, headingAnchors(readFileSync(absolute, 'utf8')));
    }
    return anchorCache.get(absolute);
  };
  const problems = [];
  let checked = 0;

  for (const file of files) {
    const extension = extname(file).toLowerCase();
    if (!CHECKED_EXTENSIONS.has(extension)) continue;
    const absoluteFile = join(root, file);
    const text = readFileSync(absoluteFile, 'utf8');
    let references = docCitations(text).map((citation) => ({
      ...citation,
      base: citation.rootRelative ? root : dirname(absoluteFile),
    }));
    if (extension === '.md') {
      const links = markdownLinks(text).filter((link) => link.target && !isExternal(link.target));
      // A citation that is a link's destination is that link: checked once, as a link.
      const inLink = (citation) =>
        links.some((link) => link.line <= citation.line && link.target.endsWith(citation.target));
      references = references.filter((citation) => !inLink(citation));
      for (const link of links) {
        const base = link.target.startsWith('/') ? root : dirname(absoluteFile);
        references.push({ ...link, target: link.target.replace(/^\/+/, ''), base });
      }
    }

    for (const citation of outsideCitations(text)) problems.push({ file, ...citation });
    checked += references.length;
    for (const { target, line, base } of references) {
      const reason = checkTarget(root, absoluteFile, base, target, anchorsOf);
      if (reason) problems.push({ file, line, target, reason });
    }
  }
  return { checked, problems };
}

function checkTarget(root, absoluteFile, base, target, anchorsOf) {
  const hash = target.indexOf('#');
  const pathPart = hash === -1 ? target : target.slice(0, hash);
  const fragment = hash === -1 ? undefined : target.slice(hash + 1);
  let decoded;
  try {
    decoded = decodeURIComponent(pathPart.split('?')[0]);
  } catch {
    return 'is not a valid URL path';
  }
  const absolute = decoded === '' ? absoluteFile : resolve(base, decoded);
  const fromRoot = relative(root, absolute);
  if (fromRoot.startsWith('..' + sep) || fromRoot === '..' || isAbsolute(fromRoot)) {
    return 'points outside the repository';
  }
  if (!existsSync(absolute)) return `names a file that does not exist (${fromRoot})`;
  if (fragment === undefined || fragment === '') return undefined;
  if (statSync(absolute).isDirectory() || extname(absolute).toLowerCase() !== '.md')
    return undefined;
  let anchor;
  try {
    anchor = decodeURIComponent(fragment);
  } catch {
    return 'has an invalid #fragment';
  }
  if (!anchorsOf(absolute).has(anchor)) return `names no heading of ${fromRoot} (#${anchor})`;
  return undefined;
}
