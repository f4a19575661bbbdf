import { AppError } from '@app/ws-protocol';
import { codes } from './error-codes.js';

/**
 * The configuration read from the environment is invalid. `message` is the one line printed on
 * stderr before the process exits with code 1, e.g.
 * `Invalid configuration: WS_HEARTBEAT_MS must be a positive integer (got "abc")`.
 */
export class ConfigError extends AppError<typeof codes.CONFIG_INVALID> {
  /** The environment variable at fault. */
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(codes.CONFIG_INVALID, `Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
