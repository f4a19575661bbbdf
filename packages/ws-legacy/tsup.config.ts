import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {index: 'src/index.ts', manager: 'src/manager.ts', 'unified-manager': 'src/unified-manager.ts', logging: 'src/logging.ts'},
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  platform: 'node',
  target: 'node20',
});
