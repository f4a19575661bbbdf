import { defineProject } from 'vitest/config';
import { sourceAliases, canonicalSetup, hangGuards, typeTests } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'ws-redis',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    ...hangGuards,
    setupFiles: [canonicalSetup],
    typecheck: typeTests,
  },
});
