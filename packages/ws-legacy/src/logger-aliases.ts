/**
 * The old logger names over the one logger of `@app/logging-ssot`. `const` declarations, not
 * `export { … } from`, so that `@deprecated` reaches editors and the lint rule.
 */
import { createLogger } from '@app/logging-ssot';

/**
 * @deprecated Use `createLogger(name)` from `'@app/logging-ssot'` (the same function). Removed in 2.0.
 */
export const getUnifiedLogger = createLogger;

/**
 * The old process-wide logger, component `app`.
 *
 * @deprecated Use `createLogger('app')` from `'@app/logging-ssot'`, or better a logger named
 * after your component. Removed in 2.0.
 */
export const centralLogger = createLogger('app');
