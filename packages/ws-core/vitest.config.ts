import { defineProject } from 'vitest/config';
import { sourceAliases, canonicalSetup } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: sourceAliases },
  test: {
    name: 'ws-core',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: [canonicalSetup],
  },
});
