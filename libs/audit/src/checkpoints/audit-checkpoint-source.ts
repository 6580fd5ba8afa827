import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { AUDIT_CHECKPOINT_PREFIX, type StorageProvider } from '@strongroom/storage';
import { type AuditCheckpoint, parseCheckpoint } from './audit-checkpoint';

export interface LoadedCheckpoints {
  checkpoints: AuditCheckpoint[];
  /** Objects or files under the prefix that are not checkpoints, with why. */
  unreadable: { name: string; problem: string }[];
}

function collect(entries: { name: string; text: string }[]): LoadedCheckpoints {
  const loaded: LoadedCheckpoints = { checkpoints: [], unreadable: [] };
  for (const entry of entries) {
    const parsed = parseCheckpoint(entry.text);
    if ('problem' in parsed) loaded.unreadable.push({ name: entry.name, problem: parsed.problem });
    else loaded.checkpoints.push(parsed);
  }
  return loaded;
}

/** The checkpoints in the storage backend, under their reserved prefix. */
export async function checkpointsFromStorage(storage: StorageProvider): Promise<LoadedCheckpoints> {
  const entries: { name: string; text: string }[] = [];
  for await (const key of storage.list(AUDIT_CHECKPOINT_PREFIX)) {
    entries.push({ name: key, text: await text(await storage.read(key)) });
  }
  return collect(entries);
}

/** The checkpoints in a folder, e.g. a copy of the storage prefix or the export's checkpoint lines. */
export async function checkpointsFromFolder(folder: string): Promise<LoadedCheckpoints> {
  const entries: { name: string; text: string }[] = [];
  for (const name of (await readdir(folder)).sort()) {
    if (name.startsWith('.')) continue;
    entries.push({ name, text: await readFile(path.join(folder, name), 'utf8') });
  }
  return collect(entries);
}
