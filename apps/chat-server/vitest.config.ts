import { defineProject } from 'vitest/config';
import { sourceAliases, canonicalSetup } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'chat-server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: [canonicalSetup],
    testTimeout: 30000,
    hookTimeout: 30000,
  },
});
