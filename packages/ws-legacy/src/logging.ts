/**
 * `@app/ws-legacy/logging` — stands for the old logger factory.
 * Loading this entry emits `APPWS_DEP004` once per process.
 *
 * @deprecated Import `createLogger` from `'@app/logging-ssot'`. Removed in 2.0.
 * @packageDocumentation
 */
import { emitDeprecation } from './emit-deprecation.js';

export { getUnifiedLogger, centralLogger } from './logger-aliases.js';

emitDeprecation('APPWS_DEP004');
