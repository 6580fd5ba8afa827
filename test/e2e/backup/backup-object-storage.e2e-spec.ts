import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { loadS3StorageAdapter } from '@strongroom/storage';
import {
  assertTestDatabase,
  createTempDir,
  type TempDir,
  testS3Server,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from '@strongroom/testing';
import { login, signUp } from '../../support/accounts';
import {
  BACKUP_TEST_KEYS,
  backupTestConfig,
  bytesOf,
  minioStorageEnv,
  openBackupTools,
} from '../../support/backup';
import { sha256, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

jest.setTimeout(120_000);

/** With S3 the bucket keeps the bytes (versioning, replication); the archive lists them. */
let work: TempDir;
let archive: string;
const files: { id: string; sha256: string }[] = [];
let owner: { email: string; password: string };

beforeAll(async () => {
  work = await createTempDir('backup-s3');
  archive = path.join(work.path, 'archive');
});
afterAll(() => work?.remove());

function freshDatabase() {
  const url = uniqueTestDatabaseUrl(testServerUrl());
  assertTestDatabase(url);
  return {
    url,
    config: backupTestConfig(url, path.join(work.path, 'unused'), work.path, minioStorageEnv()),
    async documents(): Promise<number> {
      const client = await MongoClient.connect(url);
      try {
        let total = 0;
        for (const { name } of await client.db().listCollections().toArray()) {
          total += await client.db().collection(name).countDocuments();
        }
        return total;
      } finally {
        await client.close();
      }
    },
    async drop() {
      const client = await MongoClient.connect(url);
      await client.db().dropDatabase();
      await client.close();
    },
  };
}

describe('backup with the s3 driver', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ...BACKUP_TEST_KEYS, ...minioStorageEnv() } });
    const account = await signUp(t, 's3-backup');
    owner = account;
    for (const data of [Buffer.from('first object\n'), Buffer.from('second object\n')]) {
      const res = await upload(t, account, data).expect(201);
      files.push({ id: res.body.id as string, sha256: sha256(data) });
    }
  });
  afterAll(() => t?.close());

  it('lists the objects with their checksums and copies none', async () => {
    const tools = await openBackupTools(t.config);
    try {
      await expect(tools.backups.create(archive)).resolves.toMatchObject({ blobs: 2 });
    } finally {
      await tools.close();
    }
    const manifest = JSON.parse(await readFile(path.join(archive, 'manifest.json'), 'utf8'));
    expect(manifest.storage).toEqual({ driver: 's3', blobsIncluded: false });
    expect((await readdir(archive)).sort()).toEqual([
      'blobs.ndjson',
      'collections',
      'manifest.json',
    ]);
    const listed = (await readFile(path.join(archive, 'blobs.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { sha256: string });
    expect(listed.map((entry) => entry.sha256).sort()).toEqual(
      files.map((file) => file.sha256).sort(),
    );
  });
});

describe('restore with the s3 driver', () => {
  let target: ReturnType<typeof freshDatabase>;
  let t: TestApp;
  beforeAll(async () => {
    target = freshDatabase();
    const tools = await openBackupTools(target.config);
    try {
      await expect(tools.restores.restore(archive)).resolves.toMatchObject({ blobs: 0 });
    } finally {
      await tools.close();
    }
    t = await createTestApp({
      keepDatabase: true,
      env: { ...BACKUP_TEST_KEYS, ...minioStorageEnv(), MONGO_URL: target.url },
    });
  });
  afterAll(async () => {
    await t?.close();
    await target?.drop();
  });

  it('finds the records again, and the bucket still has their bytes', async () => {
    const tokens = await login(t, owner.email, owner.password);
    for (const file of files) {
      const res = await bytesOf(
        t
          .http()
          .get(`/api/v1/files/${file.id}/content`)
          .set('Authorization', `Bearer ${tokens.accessToken}`),
      ).expect(200);
      expect(sha256(res.body as Buffer)).toBe(file.sha256);
    }
  });
});

describe('restore with the s3 driver when the bucket lost an object', () => {
  it('refuses, naming the missing key, before writing anything', async () => {
    const [first] = (await readFile(path.join(archive, 'blobs.ndjson'), 'utf8')).split('\n');
    const { key } = JSON.parse(first) as { key: string };
    const server = testS3Server();
    const S3StorageAdapter = await loadS3StorageAdapter();
    await new S3StorageAdapter({
      bucket: server.bucket,
      region: server.region,
      endpoint: server.endpoint,
      forcePathStyle: true,
    }).delete(key);

    const target = freshDatabase();
    try {
      const tools = await openBackupTools(target.config);
      try {
        await expect(tools.restores.restore(archive)).rejects.toThrow(
          `the bucket lacks 1 of the archive's blobs (${key}); restore them from the bucket's object versions first (deploy/README.md); nothing was restored`,
        );
      } finally {
        await tools.close();
      }
      expect(await target.documents()).toBe(0);
    } finally {
      await target.drop();
    }
  });
});
