import { defineProject } from 'vitest/config';
import { sourceAliases, canonicalSetup } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'chat-server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: [canonicalSetup],
    // Guards against a hang, not latency bounds: on a loaded 2-core machine a server with its
    // in-memory PGlite takes 10-20 s to start (1-2 s idle).
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
