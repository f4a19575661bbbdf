import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', constants: 'src/constants.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  tsconfig: 'tsconfig.build.json',
  sourcemap: true,
  platform: 'neutral',
  target: 'es2022',
});
