import { defineProject } from 'vitest/config';
import { sourceAliases, canonicalSetup } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'ws-routes',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: [canonicalSetup],
    // Real sockets (and Redis): guards against a hang, wide enough for a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
