import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The PGlite worker thread is an entry of its own, beside main.js (storage/pglite-thread.ts).
    entry: { main: 'src/main.ts', 'pglite-worker': 'src/storage/pglite-worker.ts' },
    format: ['esm'],
    // Both builds run at once: leave the page's output to its own build.
    clean: ['!public/**'],
    tsconfig: 'tsconfig.build.json',
    sourcemap: true,
    platform: 'node',
    target: 'node20',
  },
  {
    // The chat web page (web/): one browser bundle with the client SDK, its CSS, index.html.
    entry: { app: 'web/main.ts' },
    outDir: 'dist/public',
    format: ['esm'],
    clean: true,
    tsconfig: 'tsconfig.build.json',
    sourcemap: true,
    minify: true,
    dts: false,
    platform: 'browser',
    target: 'es2022',
    // A browser has no node_modules: bundle the client SDK (and anything else) into app.js.
    noExternal: [/.*/],
    onSuccess: async () => {
      const { copyFile } = await import('node:fs/promises');
      await copyFile('web/index.html', 'dist/public/index.html');
    },
  },
]);
