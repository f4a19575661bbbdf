import { buildEntry, sanitizeFields } from './build-entry';
import { emitEntry } from './emit-entry';
import { entryTimestamp } from './entry-timestamp';
import type { LogEntry, LogFields } from './log-entry';
import { LEVEL_SEVERITIES, LEVEL_VALUES, isLogLevel, type LogLevel } from './log-level';
import { getLoggingState } from './logging-state';
import type { LoggingState } from './logging-state-shape';
import { redactString } from './redact-string';

/**
 * A component's logger. Every method is safe to call with anything: a log call never throws,
 * and a call below the current level returns before reading its arguments.
 */
export interface Logger {
  /** Logs at `debug` (severity `DEBUG`). */
  debug(message: string, fields?: LogFields): void;
  /** Logs at `info` (severity `INFO`). */
  info(message: string, fields?: LogFields): void;
  /** Logs at `warn` (severity `WARNING`). */
  warn(message: string, fields?: LogFields): void;
  /** Logs at `error` (severity `ERROR`); pass the error as the `error` (or `err`) field. */
  error(message: string, fields?: LogFields): void;
  /**
   * A logger for the same component whose lines all carry `fields` (merged over this
   * logger's own). Fields are sanitized once, here.
   */
  child(fields: LogFields): Logger;
  /**
   * Whether a call at `level` would produce an entry now (configured level, or a capture
   * that asked for a more verbose one). Use it to skip building expensive fields.
   */
  isLevelEnabled(level: LogLevel): boolean;
}

const DEBUG = LEVEL_VALUES.debug;
const INFO = LEVEL_VALUES.info;
const WARN = LEVEL_VALUES.warn;
const ERROR = LEVEL_VALUES.error;

/** A last-resort entry when building the real one failed in a way nothing else caught. */
function fallbackEntry(
  state: LoggingState,
  level: LogLevel,
  component: string,
  message: unknown,
): LogEntry {
  return {
    timestamp: entryTimestamp(),
    severity: LEVEL_SEVERITIES[level],
    message: typeof message === 'string' ? redactString(message) : '[unloggable message]',
    service: state.settings.service,
    component,
    logFailure: 'fields could not be serialized',
  };
}

class ComponentLogger implements Logger {
  private readonly state: LoggingState;
  private readonly component: string;
  private readonly bound: LogFields | undefined;

  constructor(state: LoggingState, component: string, bound: LogFields | undefined) {
    this.state = state;
    this.component = component;
    this.bound = bound;
  }

  debug(message: string, fields?: LogFields): void {
    if (DEBUG <= this.state.threshold) this.write('debug', DEBUG, message, fields);
  }

  info(message: string, fields?: LogFields): void {
    if (INFO <= this.state.threshold) this.write('info', INFO, message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    if (WARN <= this.state.threshold) this.write('warn', WARN, message, fields);
  }

  error(message: string, fields?: LogFields): void {
    if (ERROR <= this.state.threshold) this.write('error', ERROR, message, fields);
  }

  child(fields: LogFields): Logger {
    try {
      const own = sanitizeFields(fields);
      const bound = this.bound === undefined ? own : Object.assign({}, this.bound, own);
      return new ComponentLogger(this.state, this.component, bound);
    } catch {
      return this;
    }
  }

  isLevelEnabled(level: LogLevel): boolean {
    return isLogLevel(level) && LEVEL_VALUES[level] <= this.state.threshold;
  }

  private write(level: LogLevel, value: number, message: unknown, fields: unknown): void {
    const { state } = this;
    try {
      const entry = buildEntry({
        severity: LEVEL_SEVERITIES[level],
        service: state.settings.service,
        component: this.component,
        context: state.context.getStore()?.safe,
        bound: this.bound,
        message,
        fields,
      });
      emitEntry(state, level, value, entry);
    } catch {
      try {
        emitEntry(state, level, value, fallbackEntry(state, level, this.component, message));
      } catch {
        // Logging must never take the caller down.
      }
    }
  }
}

/**
 * Creates the logger of one component (a package, module or subsystem: `ws-core:hub`).
 * Loggers are cheap and read the process-wide configuration on every call, so a logger
 * created at import time follows later `configureLogging` calls.
 * @param component - written as `component` on every line.
 */
export function createLogger(component: string): Logger {
  const name = typeof component === 'string' ? component : String(component);
  return new ComponentLogger(getLoggingState(), redactString(name), undefined);
}
