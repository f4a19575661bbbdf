import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';
import { UsageError } from './errors.js';

describe('parseCliArgs', () => {
  it('parses scan with its defaults', () => {
    expect(parseCliArgs(['scan'])).toEqual({
      command: 'scan',
      dir: '.',
      json: false,
      failUnder: undefined,
    });
  });

  it('parses scan flags before or after the directory, in both --flag forms', () => {
    expect(parseCliArgs(['scan', 'src', '--json', '--fail-under', '95'])).toEqual({
      command: 'scan',
      dir: 'src',
      json: true,
      failUnder: 95,
    });
    expect(parseCliArgs(['scan', '--fail-under=87.5', 'app'])).toEqual({
      command: 'scan',
      dir: 'app',
      json: false,
      failUnder: 87.5,
    });
  });

  it('parses fix', () => {
    expect(parseCliArgs(['fix', 'src', '--dry-run'])).toEqual({
      command: 'fix',
      dir: 'src',
      dryRun: true,
    });
    expect(parseCliArgs(['fix'])).toEqual({ command: 'fix', dir: '.', dryRun: false });
  });

  it('treats everything after -- as positional', () => {
    expect(parseCliArgs(['fix', '--', '--odd-dir'])).toEqual({
      command: 'fix',
      dir: '--odd-dir',
      dryRun: false,
    });
  });

  it('answers --help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['scan', '-h'])).toEqual({ command: 'help' });
  });

  it.each([
    [[], /missing command/],
    [['lint'], /unknown command lint/],
    [['scan', '--verbose'], /unknown option --verbose/],
    [['scan', '--fail-under'], /needs a percentage/],
    [['scan', '--fail-under', 'abc'], /from 0 to 100/],
    [['scan', '--fail-under', '101'], /from 0 to 100/],
    [['scan', '--fail-under', '-1'], /unknown option -1|from 0 to 100/],
    [['scan', '--dry-run'], /--dry-run does not apply to scan/],
    [['fix', '--json'], /--json does not apply to fix/],
    [['fix', 'a', 'b'], /unexpected argument b/],
    [['scan', '--json=yes'], /takes no value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
