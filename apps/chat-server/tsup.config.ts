import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  clean: true,
  tsconfig: 'tsconfig.build.json',
  sourcemap: true,
  platform: 'node',
  target: 'node20',
});
