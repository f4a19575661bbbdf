#!/usr/bin/env node
/**
 * The `ws-migrate` command: parses the arguments, runs `scan` or `fix`, prints the report.
 * Exit codes: 0 ok; 1 score below `--fail-under` (scan) or a file that does not parse (fix);
 * 2 usage error or a directory that does not exist.
 */
import { USAGE, parseCliArgs, type CliCommand } from './cli-args.js';
import { WsMigrateError } from './errors.js';
import { fix } from './fix.js';
import { createProgressBar } from './progress-bar.js';
import {
  formatFixSummary,
  formatFixedFiles,
  formatParseErrors,
  formatRemaining,
  formatScanJson,
  formatScanReport,
} from './report-format.js';
import { scan } from './scan.js';

const out = (text: string): void => {
  if (text !== '') process.stdout.write(text);
};
const err = (text: string): void => {
  if (text !== '') process.stderr.write(text);
};

async function runScan(command: Extract<CliCommand, { command: 'scan' }>): Promise<number> {
  const bar = createProgressBar(process.stderr, 'scanning', process.stdout.isTTY === true);
  const result = await scan(command.dir, {
    onProgress: (done, total) => bar.update(done, total),
  }).finally(() => bar.finish());
  out(command.json ? formatScanJson(result) : formatScanReport(result));
  return command.failUnder !== undefined && result.score < command.failUnder ? 1 : 0;
}

async function runFix(command: Extract<CliCommand, { command: 'fix' }>): Promise<number> {
  const bar = createProgressBar(process.stderr, 'fixing', process.stdout.isTTY === true);
  const result = await fix(command.dir, {
    dryRun: command.dryRun,
    onProgress: (done, total) => bar.update(done, total),
  }).finally(() => bar.finish());
  if (command.dryRun) {
    // stdout carries the patch alone, so it can be piped to `git apply`.
    out(result.changes.map((change) => change.diff).join(''));
    err(formatRemaining(result) + formatParseErrors(result) + formatFixSummary(result, true));
  } else {
    out(formatFixedFiles(result) + formatRemaining(result));
    err(formatParseErrors(result));
    out(formatFixSummary(result, false));
  }
  return result.parseErrors.length > 0 ? 1 : 0;
}

async function main(argv: readonly string[]): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof WsMigrateError)) throw error;
    err(`ws-migrate: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    if (command.command === 'help') {
      out(USAGE);
      return 0;
    }
    return command.command === 'scan' ? await runScan(command) : await runFix(command);
  } catch (error) {
    if (!(error instanceof WsMigrateError)) throw error;
    err(`ws-migrate: ${error.message}\n`);
    return 2;
  }
}

// `ws-migrate scan | head` closes stdout early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`ws-migrate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
