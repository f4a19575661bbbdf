import { defineConfig } from 'vitest/config';

/**
 * Browser tests (`npm run test:e2e`): Debian's chromium, driven by playwright-core, against the
 * BUILT chat server (`apps/chat-server/dist/main.js`), which `e2e/global-setup.ts` starts on a
 * free loopback port with NODE_ENV=test and stops afterwards.
 */
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own browser; a few at a time keep timings honest on small machines.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
