// @ts-check
/**
 * The layer table of docs/design/layering.md as data: which workspace packages each package may
 * import. eslint.config.js turns it into `no-restricted-imports` rules, so a package that imports
 * one above it, or a sibling it does not declare in its package.json, fails `npm run lint`.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Directory of each package, and the packages below it that it may import. */
export const PACKAGE_LAYERS = {
  '@app/logging-ssot': { dir: 'packages/logging-ssot', mayImport: [] },
  '@app/ws-protocol': { dir: 'packages/ws-protocol', mayImport: [] },
  '@app/ws-core': { dir: 'packages/ws-core', mayImport: ['@app/logging-ssot', '@app/ws-protocol'] },
  '@app/ws-client': { dir: 'packages/ws-client', mayImport: ['@app/ws-protocol'] },
  // The AI SDK translation: pure functions over protocol events (and the `ai` package's types).
  '@app/ws-ai-sdk': { dir: 'packages/ws-ai-sdk', mayImport: ['@app/ws-protocol'] },
  '@app/ws-routes': {
    dir: 'packages/ws-routes',
    mayImport: ['@app/ws-core', '@app/ws-ai-sdk', '@app/logging-ssot', '@app/ws-protocol'],
  },
  '@app/ws-redis': {
    dir: 'packages/ws-redis',
    mayImport: ['@app/ws-core', '@app/logging-ssot', '@app/ws-protocol'],
  },
  // AG-UI over runs: a pure translation of a run's events, and the SSE stream that serves it.
  '@app/ws-ag-ui': {
    dir: 'packages/ws-ag-ui',
    mayImport: ['@app/ws-core', '@app/ws-protocol'],
  },
  // Imported by nobody in this repository but its own tests and users' old code.
  '@app/ws-legacy': {
    dir: 'packages/ws-legacy',
    mayImport: ['@app/ws-core', '@app/logging-ssot', '@app/ws-protocol'],
  },
  // Stands alone: it reads code, it runs none.
  '@app/ws-migrate': { dir: 'packages/ws-migrate', mayImport: [] },
  // An example app: it talks to the server over HTTP and WebSockets, never through its packages.
  'ai-sdk-react-example': { dir: 'examples/ai-sdk-react', mayImport: [] },
  'chat-server': {
    dir: 'apps/chat-server',
    mayImport: [
      '@app/ws-ag-ui',
      '@app/ws-ai-sdk',
      '@app/ws-routes',
      '@app/ws-redis',
      '@app/ws-core',
      '@app/ws-client',
      '@app/logging-ssot',
      '@app/ws-protocol',
    ],
  },
};

/** The workspace packages named in `dir`'s package.json (dependencies of every kind). */
function declaredDependencies(root, dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
  return new Set(
    Object.keys({
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    }),
  );
}

/**
 * For each package: the workspace packages it must not import — every other one except those
 * the table allows AND its package.json declares.
 * @param {string} root the repository root
 * @returns {{ name: string, dir: string, forbidden: string[] }[]}
 */
export function forbiddenImports(root) {
  const names = Object.keys(PACKAGE_LAYERS);
  return Object.entries(PACKAGE_LAYERS).map(([name, { dir, mayImport }]) => {
    const declared = declaredDependencies(root, dir);
    const forbidden = names.filter(
      (other) => other !== name && !(mayImport.includes(other) && declared.has(other)),
    );
    return { name, dir, forbidden };
  });
}

/**
 * ESLint flat-config blocks, one per package, with `no-restricted-imports` naming each
 * forbidden package (its entry points and, by directory, its sources).
 * @param {string} root the repository root
 */
export function layeringConfig(root) {
  return forbiddenImports(root).map(({ name, dir, forbidden }) => ({
    files: [`${dir}/**/*.{ts,tsx,mts,cts,js,mjs,cjs}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((other) => {
            const otherDir = PACKAGE_LAYERS[/** @type {keyof typeof PACKAGE_LAYERS} */ (other)].dir;
            const allowed = PACKAGE_LAYERS[/** @type {keyof typeof PACKAGE_LAYERS} */ (name)];
            return {
              group: [
                other,
                `${other}/*`,
                `**/${otherDir}/**`,
                `**/${path.basename(otherDir)}/src/**`,
              ],
              message:
                `${name} may not import ${other}: docs/design/layering.md allows it ` +
                `${allowed.mayImport.length === 0 ? 'no workspace package' : allowed.mayImport.join(', ')}` +
                ', and only those its package.json declares.',
            };
          }),
        },
      ],
    },
  }));
}
