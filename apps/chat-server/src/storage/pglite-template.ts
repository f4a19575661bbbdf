import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from '@app/logging-ssot';

/**
 * Opens PGlite in `dataDir`, or in memory without one.
 *
 * A new database runs `initdb`, which takes seconds. So the first new database made on this
 * machine (per PGlite version) saves its freshly initialised cluster as a tarball under the OS
 * temp directory, and later new databases — in memory, or in an empty `dataDir` — start from
 * that copy instead. The template holds an empty cluster only, never history; an unreadable
 * one is replaced. An existing `dataDir` is simply opened.
 */
export async function openPglite(
  dataDir: string | undefined,
  logger: Pick<Logger, 'warn' | 'debug'>,
): Promise<PGlite> {
  if (dataDir !== undefined && !(await isEmptyDir(dataDir))) return PGlite.create(dataDir);
  const file = templatePath();
  const template = await readFile(file).catch(() => undefined);
  if (template !== undefined) {
    try {
      return await PGlite.create({
        ...(dataDir !== undefined ? { dataDir } : {}),
        loadDataDir: new Blob([template]),
      });
    } catch (error) {
      logger.warn('The PGlite template could not be loaded; making a new one', { file, error });
      await rm(file, { force: true });
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    }
  }
  const pglite = await PGlite.create(dataDir ?? 'memory://');
  await saveTemplate(pglite, file, logger);
  return pglite;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

async function saveTemplate(
  pglite: PGlite,
  file: string,
  logger: Pick<Logger, 'debug'>,
): Promise<void> {
  try {
    const dump = await pglite.dumpDataDir('none');
    await mkdir(path.dirname(file), { recursive: true });
    // Written aside then renamed: a parallel process never reads half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  } catch (error) {
    logger.debug('The PGlite template could not be saved', { file, error });
  }
}

function templatePath(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@electric-sql/pglite');
  let version = 'unknown';
  try {
    const manifest = require(path.join(path.dirname(entry), '..', 'package.json')) as {
      version?: string;
    };
    version = manifest.version ?? version;
  } catch {
    // Keyed "unknown": a template another version cannot load is replaced on first use.
  }
  return path.join(os.tmpdir(), 'chat-server-pglite', `template-${version}.tar`);
}
