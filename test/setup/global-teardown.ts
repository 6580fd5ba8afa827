import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const handle = globalThis.strongroomTestDatabase;
  if (!handle) return;
  globalThis.strongroomTestDatabase = undefined;
  try {
    await handle.db.stop();
  } finally {
    await rm(handle.tempDir, { recursive: true, force: true });
  }
}
