import { UsageError } from './errors.js';

/** The command line, understood. */
export type CliCommand =
  | {
      readonly command: 'scan';
      readonly dir: string;
      readonly json: boolean;
      /** Exit 1 when the score is below this percentage. */
      readonly failUnder: number | undefined;
    }
  | { readonly command: 'fix'; readonly dir: string; readonly dryRun: boolean }
  | { readonly command: 'help' };

/** The usage text printed by `--help` and after a usage error. */
export const USAGE = `Usage:
  ws-migrate scan [dir] [--json] [--fail-under PERCENT]
  ws-migrate fix [dir] [--dry-run]

Commands:
  scan   report legacy WebSocket usage and the compliance score
  fix    rewrite legacy imports to their canonical packages

Options:
  --json                 scan: print {"score", "files"} as JSON
  --fail-under PERCENT   scan: exit 1 when the score is below PERCENT (0-100)
  --dry-run              fix: print a unified diff, write nothing
  -h, --help             show this help

dir defaults to the current directory.
Exit codes: 0 ok; 1 score below --fail-under, or a file could not be parsed (fix); 2 usage error.
`;

const FLAGS_OF = {
  scan: new Set(['--json', '--fail-under']),
  fix: new Set(['--dry-run']),
} as const;

/**
 * Parses the arguments after `ws-migrate`. Flags may come before or after the directory;
 * `--fail-under=95` and `--fail-under 95` are both accepted; `--` ends the flags.
 * @throws {UsageError} on anything it does not understand
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (argument === '-h' || argument === '--help') return { command: 'help' };
    if (!argument.startsWith('-') || argument === '-') {
      positionals.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const name = equals === -1 ? argument : argument.slice(0, equals);
    if (name === '--fail-under') {
      const value = equals === -1 ? argv[++index] : argument.slice(equals + 1);
      if (value === undefined)
        throw new UsageError('--fail-under needs a percentage, e.g. --fail-under 95');
      flags.set(name, value);
    } else if (name === '--json' || name === '--dry-run') {
      if (equals !== -1) throw new UsageError(`${name} takes no value`);
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }

  const [command, dir = '.', ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command: scan or fix');
  if (command !== 'scan' && command !== 'fix') throw new UsageError(`unknown command ${command}`);
  if (extra.length > 0)
    throw new UsageError(`unexpected argument ${extra[0] ?? ''}: give one directory`);
  for (const flag of flags.keys()) {
    if (!FLAGS_OF[command].has(flag)) throw new UsageError(`${flag} does not apply to ${command}`);
  }
  if (command === 'fix') return { command, dir, dryRun: flags.has('--dry-run') };
  const threshold = flags.get('--fail-under');
  return {
    command,
    dir,
    json: flags.has('--json'),
    failUnder: threshold === undefined ? undefined : parsePercent(String(threshold)),
  };
}

function parsePercent(value: string): number {
  const percent = value.trim() === '' ? Number.NaN : Number(value.replace(/%$/, ''));
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new UsageError(
      `--fail-under needs a percentage from 0 to 100, got ${JSON.stringify(value)}`,
    );
  }
  return percent;
}
