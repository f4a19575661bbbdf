// The PGlite worker from sources (tests, `node --import tsx src/main.ts`): a worker thread does
// not inherit the parent's TypeScript loader, so it registers tsx's before loading the worker.
// The built server starts dist/pglite-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-worker.ts');
