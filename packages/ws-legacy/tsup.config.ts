import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    manager: 'src/manager.ts',
    'unified-manager': 'src/unified-manager.ts',
    logging: 'src/logging.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  tsconfig: 'tsconfig.build.json',
  sourcemap: true,
  platform: 'node',
  target: 'node20',
});
