import type { AsyncLocalStorage } from 'node:async_hooks';
import type { LogDestination } from './log-destination';
import type { LogEntry, LogFields } from './log-entry';
import type { LogFormat } from './log-format';
import type { LogLevel } from './log-level';
import type { OutputSettings, WinstonPipeline } from './winston-pipeline';

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
