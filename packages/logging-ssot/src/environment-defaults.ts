import { isLogFormat, type LogFormat } from './log-format';
import { isLogLevel, type LogLevel } from './log-level';

/** The service name written when `SERVICE_NAME` is not set. */
const DEFAULT_SERVICE = 'app';

/** A variable that was set to something unusable, reported once as a warning. */
export interface EnvironmentProblem {
  variable: 'LOG_LEVEL' | 'LOG_FORMAT';
  value: string;
  fallback: string;
}

/** Configuration read from the environment, before any `configureLogging` call. */
export interface EnvironmentDefaults {
  level: LogLevel;
  format: LogFormat;
  service: string;
  problems: EnvironmentProblem[];
}

/**
 * Reads `LOG_LEVEL` (default `info`; case-insensitive, `warning` accepted for `warn`),
 * `LOG_FORMAT` (default `json` when `NODE_ENV=production`, else `pretty`) and `SERVICE_NAME`
 * (default `app`). Invalid values fall back to the default and are listed in `problems`; this
 * never throws, since it runs when the first logger is created, usually at import time.
 * @param env - the environment to read, `process.env` in production.
 */
export function readEnvironmentDefaults(env: NodeJS.ProcessEnv): EnvironmentDefaults {
  const problems: EnvironmentProblem[] = [];
  const defaultFormat: LogFormat = env.NODE_ENV === 'production' ? 'json' : 'pretty';

  let level: LogLevel = 'info';
  const rawLevel = env.LOG_LEVEL?.trim();
  if (rawLevel) {
    const normalized = rawLevel.toLowerCase();
    const candidate = normalized === 'warning' ? 'warn' : normalized;
    if (isLogLevel(candidate)) level = candidate;
    else problems.push({ variable: 'LOG_LEVEL', value: rawLevel, fallback: level });
  }

  let format = defaultFormat;
  const rawFormat = env.LOG_FORMAT?.trim();
  if (rawFormat) {
    const candidate = rawFormat.toLowerCase();
    if (isLogFormat(candidate)) format = candidate;
    else problems.push({ variable: 'LOG_FORMAT', value: rawFormat, fallback: format });
  }

  const service = env.SERVICE_NAME?.trim() || DEFAULT_SERVICE;
  return { level, format, service, problems };
}
