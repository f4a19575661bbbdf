import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package directory (packages/ws-migrate). */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args` to completion without a shell; never rejects on a non-zero exit. */
export function run(command: string, args: readonly string[], cwd = PACKAGE_DIR): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error === null) resolve({ code: 0, stdout, stderr });
        else if (typeof error.code === 'number') resolve({ code: error.code, stdout, stderr });
        else reject(new Error(`${command} could not run: ${error.message}`));
      },
    );
  });
}

/** Runs the CLI from its TypeScript source (`node --import tsx src/cli.ts …`), as `npm test` does. */
export function runSourceCli(args: readonly string[]): Promise<CliRun> {
  return run(process.execPath, ['--import', 'tsx', path.join(PACKAGE_DIR, 'src/cli.ts'), ...args]);
}
