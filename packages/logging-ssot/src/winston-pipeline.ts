import winston from 'winston';
import type { LogDestination } from './log-destination';
import type { LogEntry } from './log-entry';
import type { LogFormat } from './log-format';
import { LEVEL_VALUES, type LogLevel } from './log-level';
import { renderJsonLine } from './render-json-line';
import { renderPrettyLine } from './render-pretty-line';

/** Where winston's transports read the finished line (triple-beam's `MESSAGE`). */
const MESSAGE = Symbol.for('message');

/** Where the structured entry travels on winston's `info` object. */
const ENTRY = Symbol('@app/logging-ssot/entry');

/** How lines are rendered and where they go; mutated in place by `configureLogging`. */
export interface OutputSettings {
  format: LogFormat;
  destination: LogDestination;
  /** Resolved colour decision for `pretty` lines. */
  colored: boolean;
}

/** The winston pipeline's entry point: one call per line, never throws for a failing write. */
export interface WinstonPipeline {
  write(level: LogLevel, entry: LogEntry): void;
}

/** An instance of winston's transport base class (`winston-transport`), as winston types it. */
type TransportInstance = Exclude<NonNullable<winston.LoggerOptions['transports']>, unknown[]>;

/** winston exports the base class as `Transport` at run time, which its typings do not name. */
const TransportBase = (
  winston as unknown as {
    Transport: new (options?: { level?: string }) => TransportInstance;
  }
).Transport;

/**
 * The one winston transport: writes each rendered line to the configured destination,
 * swallowing whatever the destination throws so a log call never fails.
 */
class DestinationTransport extends TransportBase {
  private readonly output: OutputSettings;

  constructor(output: OutputSettings) {
    super({ level: 'debug' });
    this.output = output;
  }

  override log(info: Record<symbol, unknown>, next: () => void): void {
    try {
      this.output.destination.write(info[MESSAGE] as string);
    } catch {
      // A failing destination must not turn logging into an outage.
    }
    next();
  }
}

/**
 * Builds the winston logger every line goes through: its levels are ours, its level is the
 * most verbose (the level check happens before any work, in the calling logger), its format
 * renders the prepared entry as `json` or `pretty`, and its one transport writes the line.
 * @param output - shared, mutable output settings.
 */
export function createWinstonPipeline(output: OutputSettings): WinstonPipeline {
  const render = winston.format((info) => {
    const entry = info[ENTRY] as LogEntry;
    info[MESSAGE] =
      output.format === 'json' ? renderJsonLine(entry) : renderPrettyLine(entry, output.colored);
    return info;
  });
  const logger = winston.createLogger({
    levels: { ...LEVEL_VALUES },
    level: 'debug',
    format: render(),
    transports: [new DestinationTransport(output)],
    exitOnError: false,
  });
  return {
    write(level, entry) {
      logger.log({ level, message: entry.message, [ENTRY]: entry });
    },
  };
}
