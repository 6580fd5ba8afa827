import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

export async function createTempDir(label: string): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `strongroom-${label}-`));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
