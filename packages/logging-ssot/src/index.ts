export { createLogger, type Logger } from './logger';
export { withLogContext, getLogContext } from './log-context';
export { configureLogging, type LoggingOptions, type LoggingConfig } from './configure-logging';
export { captureLogs, type CaptureOptions, type LogCapture } from './capture-logs';
export { LOG_LEVELS, isLogLevel, type LogLevel, type LogSeverity } from './log-level';
export { LOG_FORMATS, isLogFormat, type LogFormat } from './log-format';
export type { LogDestination } from './log-destination';
export type { LogEntry, LogFields, SerializedError } from './log-entry';
export { LoggingConfigError, codes } from './logging-config-error';
