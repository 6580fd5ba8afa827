import path from 'node:path';
import type { AppConfig } from '@strongroom/config';
import { waitForDatabase } from '@strongroom/database';
import { EmbeddedDbProcess, readEmbeddedDbRegistration } from '@strongroom/embedded-db';

export interface CliDatabase {
  url: string;
  /** Stops the embedded database if the CLI started it; a no-op otherwise. */
  close(): Promise<void>;
}

const MONGO_URL_DEADLINE_MS = 10_000;
const REGISTERED_DB_DEADLINE_MS = 2_000;

const keepOpen = () => Promise.resolve();

/**
 * MONGO_URL when set; else the embedded database of a server running on the same DATA_DIR; else
 * an embedded database of our own on DATA_DIR/db (no server runs, so nothing else has the files).
 */
export async function openCliDatabase(
  config: AppConfig,
  log: (message: string) => void,
): Promise<CliDatabase> {
  if (config.database.url) {
    // Unlike the server, which waits for as long as it takes, a person at a prompt wants an answer.
    await waitForDatabase(config.database.url, { log, deadlineMs: MONGO_URL_DEADLINE_MS });
    return { url: config.database.url, close: keepOpen };
  }

  const registration = await readEmbeddedDbRegistration(config.dataDir);
  if (registration && (await answers(registration.url))) {
    return { url: registration.url, close: keepOpen };
  }

  const db = await EmbeddedDbProcess.start({
    dataDir: path.join(config.dataDir, 'db'),
    logFile: path.join(config.dataDir, 'embedded-db.log'),
    log,
  });
  return { url: db.url, close: () => db.stop() };
}

/** A registration outlives a server that was killed; only a ping tells whether it is current. */
async function answers(url: string): Promise<boolean> {
  try {
    await waitForDatabase(url, {
      log: () => undefined,
      deadlineMs: REGISTERED_DB_DEADLINE_MS,
      attemptTimeoutMs: REGISTERED_DB_DEADLINE_MS,
    });
    return true;
  } catch {
    return false;
  }
}
