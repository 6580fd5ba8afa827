/** The database a benchmark's servers use: MONGO_URL when set, else the embedded one, started in `workDir`. */
import path from 'node:path';
import { EmbeddedDbProcess } from '@strongroom/embedded-db';
import { createTempDir, type TempDir } from '@strongroom/testing';
import type { Cleanups } from './cleanups';

export interface BenchDatabase {
  /** The server's URL; each server gets its own fresh database on it (uniqueTestDatabaseUrl). */
  url: string;
  label: string;
  /** The embedded database's process, whose CPU a benchmark can read; unknown for MONGO_URL. */
  pid?: () => number | undefined;
}

export async function startBenchDatabase(
  workDir: string,
  cleanups: Cleanups,
  externalUrl: string | undefined,
  log: (message: string) => void,
): Promise<BenchDatabase> {
  if (externalUrl) return { url: externalUrl, label: `MONGO_URL (${new URL(externalUrl).host})` };
  log('starting the embedded database (the first run builds it, about 2 minutes)');
  const db = await EmbeddedDbProcess.start({
    dataDir: path.join(workDir, 'db'),
    logFile: path.join(workDir, 'embedded-db.log'),
    log,
  });
  cleanups.push(() => db.stop());
  return {
    url: db.url,
    label: `embedded FerretDB (SQLite) on ${new URL(db.url).host}`,
    pid: () => db.pid,
  };
}

export interface BenchWorkspace extends BenchDatabase {
  /** The benchmark's scratch folder, removed with the other cleanups. */
  temp: TempDir;
}

/** A scratch folder for the run and the database its servers use (MONGO_URL when set). */
export async function startBenchWorkspace(
  name: string,
  cleanups: Cleanups,
  log: (message: string) => void,
): Promise<BenchWorkspace> {
  const temp = await createTempDir(name);
  cleanups.push(() => temp.remove());
  // eslint-disable-next-line no-restricted-properties -- a benchmark's own parent process
  const database = await startBenchDatabase(temp.path, cleanups, process.env.MONGO_URL, log);
  return { temp, ...database };
}
