import type { Logger } from '@app/logging-ssot';

/** What {@link FailureLatch.record} is told about one round of a recurring operation. */
export interface FailureRound {
  /** Operations attempted in the round. */
  readonly attempted: number;
  /** How many of them failed. */
  readonly failed: number;
  /** One of the failures (the first), for the log line. */
  readonly error?: unknown;
}

/**
 * Logs a recurring operation by state change, not per attempt (docs/scaling.md#rule-6-outage): one warning
 * when it starts failing, one line when it succeeds again, nothing in between — during a
 * backend outage every lease renewal of every run and connection fails on every tick, and a
 * line each would flood the logs with no more information than the first one.
 */
export class FailureLatch {
  #failingSince: number | undefined;
  #failedRounds = 0;
  #failures = 0;

  /**
   * @param logger where the two lines go.
   * @param what names the operation in both lines, e.g. `Lease renewals`.
   */
  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  /** Whether the last round with attempts had failures. */
  get failing(): boolean {
    return this.#failingSince !== undefined;
  }

  /**
   * Records one round: any failure makes the state "failing" (logged when it was not), a round
   * whose every attempt succeeded makes it "ok" (logged when it was failing). A round with no
   * attempt changes nothing.
   */
  record(round: FailureRound): void {
    if (round.attempted === 0) return;
    if (round.failed > 0) {
      this.#failedRounds++;
      this.#failures += round.failed;
      if (this.#failingSince !== undefined) return;
      this.#failingSince = Date.now();
      this.logger.warn(`${this.what} are failing; logged again when they succeed`, {
        failed: round.failed,
        attempted: round.attempted,
        error: describe(round.error),
      });
      return;
    }
    if (this.#failingSince === undefined) return;
    this.logger.info(`${this.what} succeed again`, {
      failingForMs: Date.now() - this.#failingSince,
      failedRounds: this.#failedRounds,
      failures: this.#failures,
    });
    this.#failingSince = undefined;
    this.#failedRounds = 0;
    this.#failures = 0;
  }
}

/** An error's message; other values as they are (the logger sanitizes them). */
function describe(error: unknown): unknown {
  return error instanceof Error ? error.message : error;
}
