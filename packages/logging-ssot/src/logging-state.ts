import { AsyncLocalStorage } from 'node:async_hooks';
import { readEnvironmentDefaults, type EnvironmentProblem } from './environment-defaults';
import { reportEnvironmentProblems } from './environment-problems-report';
import { supportsColor, type LogDestination } from './log-destination';
import type { LogEntry, LogFields } from './log-entry';
import type { LogFormat } from './log-format';
import { LEVEL_VALUES, type LogLevel } from './log-level';
import {
  createWinstonPipeline,
  type OutputSettings,
  type WinstonPipeline,
} from './winston-pipeline';

/** What `withLogContext` stores: the fields as given, and their sanitized copy for output. */
export interface LogContextStore {
  readonly fields: LogFields;
  readonly safe: LogFields;
}

/** One active `captureLogs()`. */
export interface CaptureSink {
  readonly entries: LogEntry[];
  /** Its own level threshold, or undefined to follow the configured level. */
  readonly threshold: number | undefined;
  readonly silent: boolean;
}

/** The configuration as set through `configureLogging` (or read from the environment). */
export interface LoggingSettings {
  level: LogLevel;
  format: LogFormat;
  service: string;
  destination: LogDestination;
  color: boolean | 'auto';
}

/**
 * Everything process-wide about logging: the one configuration, the context storage, the
 * active captures and the winston pipeline. Loggers read it on every call, which is how a
 * `configureLogging` call reaches loggers created before it.
 */
export interface LoggingState {
  readonly settings: LoggingSettings;
  readonly output: OutputSettings;
  /** Threshold of the configured level: what reaches the destination. */
  configThreshold: number;
  /** Threshold including captures that asked for a more verbose level: what is built at all. */
  threshold: number;
  /** Whether a silent capture currently keeps lines from the destination. */
  silenced: boolean;
  readonly captures: CaptureSink[];
  readonly context: AsyncLocalStorage<LogContextStore>;
  readonly pipeline: WinstonPipeline;
}

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
