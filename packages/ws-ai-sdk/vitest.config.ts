import { defineProject } from 'vitest/config';
import { sourceAliases, canonicalSetup, hangGuards } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'ws-ai-sdk',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    ...hangGuards,
    setupFiles: [canonicalSetup],
  },
});
