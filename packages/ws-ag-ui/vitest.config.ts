import { defineProject } from 'vitest/config';
import { sourceAliases, canonicalSetup, hangGuards } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'ws-ag-ui',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    ...hangGuards,
    setupFiles: [canonicalSetup],
  },
});
