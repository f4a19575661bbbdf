import { defineConfig } from 'vitest/config';

/** One `npm test` runs every package's and app's tests against their sources. */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'scripts'],
    reporters: ['default'],
  },
});
