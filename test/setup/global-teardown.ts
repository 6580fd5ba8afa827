import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  await Promise.all([stopDatabase(), stopStorageServers()]);
}

async function stopDatabase(): Promise<void> {
  const handle = globalThis.strongroomTestDatabase;
  if (!handle) return;
  globalThis.strongroomTestDatabase = undefined;
  try {
    await handle.db.stop();
  } finally {
    await rm(handle.tempDir, { recursive: true, force: true });
  }
}

async function stopStorageServers(): Promise<void> {
  const handle = globalThis.strongroomTestStorageServers;
  if (!handle) return;
  globalThis.strongroomTestStorageServers = undefined;
  try {
    await Promise.all([handle.minio.stop(), handle.fakeGcs.stop()]);
  } finally {
    await rm(handle.tempDir, { recursive: true, force: true });
  }
}
