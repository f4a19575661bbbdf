import { AsyncLocalStorage } from 'node:async_hooks';
import { readEnvironmentDefaults, type EnvironmentProblem } from './environment-defaults';
import { reportEnvironmentProblems } from './environment-problems-report';
import { supportsColor, type LogDestination } from './log-destination';
import { LEVEL_VALUES } from './log-level';
import type { LogContextStore, LoggingSettings, LoggingState } from './logging-state-shape';
import { createWinstonPipeline, type OutputSettings } from './winston-pipeline';

/**
 * The process's one logging state, made on first use. The package is ESM-only (`require()`
 * loads the same module), so a process holds one copy of it.
 */
let processState: LoggingState | undefined;

/**
 * Creates a fresh state from the environment. Exposed for tests; everything else uses
 * {@link getLoggingState}.
 * @param env - environment to read the defaults from.
 * @param destination - where lines go, default `process.stdout`.
 */
export function createLoggingState(
  env: NodeJS.ProcessEnv,
  destination: LogDestination = process.stdout,
): { state: LoggingState; problems: EnvironmentProblem[] } {
  const defaults = readEnvironmentDefaults(env);
  const settings: LoggingSettings = {
    level: defaults.level,
    format: defaults.format,
    service: defaults.service,
    destination,
    color: 'auto',
  };
  const output: OutputSettings = {
    format: defaults.format,
    destination,
    colored: supportsColor(destination, env),
  };
  const threshold = LEVEL_VALUES[defaults.level];
  const state: LoggingState = {
    settings,
    output,
    configThreshold: threshold,
    threshold,
    silenced: false,
    captures: [],
    context: new AsyncLocalStorage<LogContextStore>(),
    pipeline: createWinstonPipeline(output),
  };
  return { state, problems: defaults.problems };
}

/** Recomputes the derived thresholds after the level or the set of captures changed. */
export function refreshThresholds(state: LoggingState): void {
  state.configThreshold = LEVEL_VALUES[state.settings.level];
  let threshold = state.configThreshold;
  let silenced = false;
  for (const capture of state.captures) {
    if (capture.threshold !== undefined && capture.threshold > threshold) {
      threshold = capture.threshold;
    }
    silenced ||= capture.silent;
  }
  state.threshold = threshold;
  state.silenced = silenced;
}

/**
 * The process-wide state, created from `process.env` on first use. Invalid `LOG_LEVEL` /
 * `LOG_FORMAT` values are reported as warnings exactly once, when it is created.
 */
export function getLoggingState(): LoggingState {
  if (processState !== undefined) return processState;
  const { state, problems } = createLoggingState(process.env);
  processState = state;
  reportEnvironmentProblems(state, problems);
  return state;
}
