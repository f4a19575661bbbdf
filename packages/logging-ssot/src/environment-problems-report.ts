import { buildEntry } from './build-entry';
import { emitEntry } from './emit-entry';
import type { EnvironmentProblem } from './environment-defaults';
import { LEVEL_VALUES } from './log-level';
import type { LoggingState } from './logging-state-shape';

/** The component name on this package's own lines. */
const OWN_COMPONENT = 'logging-ssot';

/**
 * Writes one warning per unusable environment variable, through the normal pipeline (so it is
 * formatted, filtered and captured like any line). Never throws: it runs at import time.
 * @param state - the freshly created state.
 * @param problems - what `readEnvironmentDefaults` rejected.
 */
export function reportEnvironmentProblems(
  state: LoggingState,
  problems: readonly EnvironmentProblem[],
): void {
  if (LEVEL_VALUES.warn > state.threshold) return;
  for (const problem of problems) {
    try {
      const entry = buildEntry({
        severity: 'WARNING',
        service: state.settings.service,
        component: OWN_COMPONENT,
        context: undefined,
        bound: undefined,
        message: `Invalid ${problem.variable}, using "${problem.fallback}"`,
        fields: { ...problem },
      });
      emitEntry(state, 'warn', LEVEL_VALUES.warn, entry);
    } catch {
      // Reporting a configuration problem must never break the import that triggered it.
    }
  }
}
