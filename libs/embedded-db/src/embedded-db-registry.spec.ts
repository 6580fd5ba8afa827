import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTempDir, type TempDir } from '@strongroom/testing';
import {
  embeddedDbRegistryPath,
  readEmbeddedDbRegistration,
  removeEmbeddedDbRegistration,
  writeEmbeddedDbRegistration,
} from './embedded-db-registry';

describe('embedded database registry', () => {
  let temp: TempDir;
  let dataDir: string;

  beforeEach(async () => {
    temp = await createTempDir('registry');
    dataDir = path.join(temp.path, 'var');
  });

  afterEach(() => temp.remove());

  it('reads back what was written, creating DATA_DIR, and leaves no temporary file', async () => {
    const registration = { url: 'mongodb://127.0.0.1:40123/', pid: 4242 };
    await writeEmbeddedDbRegistration(dataDir, registration);
    await expect(readEmbeddedDbRegistration(dataDir)).resolves.toEqual(registration);
    expect(await readdir(dataDir)).toEqual(['embedded-db.json']);
    expect((await stat(embeddedDbRegistryPath(dataDir))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(embeddedDbRegistryPath(dataDir), 'utf8'))).toEqual(
      registration,
    );
  });

  it('replaces an earlier registration', async () => {
    await writeEmbeddedDbRegistration(dataDir, { url: 'mongodb://127.0.0.1:1/', pid: 1 });
    await writeEmbeddedDbRegistration(dataDir, { url: 'mongodb://127.0.0.1:2/', pid: 2 });
    await expect(readEmbeddedDbRegistration(dataDir)).resolves.toEqual({
      url: 'mongodb://127.0.0.1:2/',
      pid: 2,
    });
  });

  it('is absent when there is no file, even without a DATA_DIR', async () => {
    await expect(readEmbeddedDbRegistration(dataDir)).resolves.toBeUndefined();
  });

  it.each([
    ['not JSON', '{"url": "mongodb://127.0'],
    ['no url', '{"pid": 12}'],
    ['not a MongoDB url', '{"url": "http://127.0.0.1:1/", "pid": 12}'],
    ['no pid', '{"url": "mongodb://127.0.0.1:1/"}'],
    ['a pid that is no process id', '{"url": "mongodb://127.0.0.1:1/", "pid": -3}'],
    ['not an object', 'null'],
  ])('treats a file with %s as absent', async (_case, content) => {
    await writeEmbeddedDbRegistration(dataDir, { url: 'mongodb://127.0.0.1:1/', pid: 1 });
    await writeFile(embeddedDbRegistryPath(dataDir), content);
    await expect(readEmbeddedDbRegistration(dataDir)).resolves.toBeUndefined();
  });

  it('is removed by the process that wrote it', async () => {
    await writeEmbeddedDbRegistration(dataDir, { url: 'mongodb://127.0.0.1:1/', pid: 7 });
    await removeEmbeddedDbRegistration(dataDir, 7);
    await expect(readEmbeddedDbRegistration(dataDir)).resolves.toBeUndefined();
    await expect(removeEmbeddedDbRegistration(dataDir, 7)).resolves.toBeUndefined();
  });

  it("is not removed by another process: a newer server's registration stays", async () => {
    await writeEmbeddedDbRegistration(dataDir, { url: 'mongodb://127.0.0.1:1/', pid: 8 });
    await removeEmbeddedDbRegistration(dataDir, 7);
    await expect(readEmbeddedDbRegistration(dataDir)).resolves.toEqual({
      url: 'mongodb://127.0.0.1:1/',
      pid: 8,
    });
  });
});
