import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where a running server announces its embedded database under DATA_DIR, so that other local
 * processes (the admin CLI) use that database instead of opening the same files a second time.
 */
export const EMBEDDED_DB_REGISTRY_FILE = 'embedded-db.json';

export interface EmbeddedDbRegistration {
  url: string;
  /** The process that started the database and will remove the registration when it stops. */
  pid: number;
}

export function embeddedDbRegistryPath(dataDir: string): string {
  return path.join(dataDir, EMBEDDED_DB_REGISTRY_FILE);
}

export async function writeEmbeddedDbRegistration(
  dataDir: string,
  registration: EmbeddedDbRegistration,
): Promise<void> {
  const file = embeddedDbRegistryPath(dataDir);
  // Written aside and renamed into place, so a reader never sees a half-written file.
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(temp, `${JSON.stringify(registration)}\n`, { mode: 0o600 });
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/** The registration, or undefined when there is none or the file is not one (treated as absent). */
export async function readEmbeddedDbRegistration(
  dataDir: string,
): Promise<EmbeddedDbRegistration | undefined> {
  let text: string;
  try {
    text = await readFile(embeddedDbRegistryPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { url, pid } = JSON.parse(text) as Partial<Record<keyof EmbeddedDbRegistration, unknown>>;
    if (typeof url !== 'string' || !/^mongodb:\/\//.test(url)) return undefined;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
    return { url, pid };
  } catch {
    return undefined;
  }
}

/** Removes the registration if `pid` wrote it; a newer server's registration is left alone. */
export async function removeEmbeddedDbRegistration(dataDir: string, pid: number): Promise<void> {
  const registration = await readEmbeddedDbRegistration(dataDir);
  if (registration?.pid === pid) await rm(embeddedDbRegistryPath(dataDir), { force: true });
}
