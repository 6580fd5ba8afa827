import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import {
  ARCHIVE_FORMAT_VERSION,
  InvalidArchiveError,
  RestoreKeysMissingError,
  RestoreTargetNotEmptyError,
} from '@strongroom/backup';
import type { RawEnvironment } from '@strongroom/config';
import {
  assertTestDatabase,
  createTempDir,
  type TempDir,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from '@strongroom/testing';
import {
  type Account,
  ADMIN_ENV,
  collection,
  createWithRole,
  firstAdmin,
  login,
  signUp,
} from '../../support/accounts';
import { BACKUP_TEST_KEYS, backupTestConfig, bytesOf, openBackupTools } from '../../support/backup';
import { createLink, PNG_BYTES, sha256, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

jest.setTimeout(120_000);

const LINK_PASSWORD = 'marble otter lantern 64';

/** What the seeded deployment holds, to be found again after the restore. */
interface Seeded {
  owner: Account;
  recipient: Account;
  auditor: Account;
  files: { id: string; name: string; sha256: string }[];
  sharedFileId: string;
  openLinkToken: string;
  passwordLinkToken: string;
  counts: Record<string, number>;
  auditCount: number;
}

let work: TempDir;
let archive: string;
let seeded: Seeded;

beforeAll(async () => {
  work = await createTempDir('backup-drill');
  archive = path.join(work.path, 'archive');
});
afterAll(() => work?.remove());

/** Events are recorded after the response; wait until the chain stops growing. */
async function settledAuditCount(t: TestApp): Promise<number> {
  let previous = -1;
  for (;;) {
    const count = await collection(t, 'audit_events').countDocuments();
    if (count === previous) return count;
    previous = count;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

async function seed(t: TestApp): Promise<Seeded> {
  const admin = await firstAdmin(t);
  const auditor = await createWithRole(t, admin, 'auditor');
  const owner = await signUp(t, 'drill-owner');
  const recipient = await signUp(t, 'drill-recipient');
  const contents = [
    { name: 'picture.png', data: PNG_BYTES },
    { name: 'notes.txt', data: Buffer.from('quarterly numbers, do not share\n') },
    { name: 'random.bin', data: randomBytes(300_000) },
  ];
  const files = [];
  for (const { name, data } of contents) {
    const res = await upload(t, owner, data, name).expect(201);
    expect(res.body.sha256).toBe(sha256(data));
    files.push({ id: res.body.id as string, name, sha256: sha256(data) });
  }
  const [shared, linked, locked] = files;
  await t
    .http()
    .post(`/api/v1/files/${shared.id}/shares`)
    .set('Authorization', owner.bearer)
    .send({ email: recipient.email })
    .expect(201);
  const link = async (fileId: string, body: Record<string, unknown>) =>
    (await createLink(t, owner, fileId, body)).token;
  const openLinkToken = await link(linked.id, { maxDownloads: 5 });
  const passwordLinkToken = await link(locked.id, { password: LINK_PASSWORD });
  await bytesOf(t.http().get(`/api/v1/public/links/${openLinkToken}/content`)).expect(200);

  const auditCount = await settledAuditCount(t);
  const counts: Record<string, number> = {};
  for (const name of ['users', 'files', 'shares', 'share_links', 'audit_events']) {
    counts[name] = await collection(t, name).countDocuments();
  }
  return {
    owner,
    recipient,
    auditor,
    files,
    sharedFileId: shared.id,
    openLinkToken,
    passwordLinkToken,
    counts,
    auditCount,
  };
}

/** A fresh database and storage folder, as a new deployment has them. */
async function emptyTarget(label: string, env: RawEnvironment = {}) {
  const mongoUrl = uniqueTestDatabaseUrl(testServerUrl());
  assertTestDatabase(mongoUrl);
  const storage = await createTempDir(`${label}-storage`);
  const data = await createTempDir(`${label}-data`);
  const config = backupTestConfig(mongoUrl, storage.path, data.path, env);
  return {
    mongoUrl,
    storage,
    dataDir: data.path,
    config,
    async remove() {
      const client = await MongoClient.connect(mongoUrl);
      await client.db().dropDatabase();
      await client.close();
      await storage.remove();
      await data.remove();
    },
  };
}

/** Collections that hold documents, and files in the storage folder (health probes aside). */
async function whatIsIn(target: Awaited<ReturnType<typeof emptyTarget>>) {
  const client = await MongoClient.connect(target.mongoUrl);
  try {
    const filled: string[] = [];
    for (const { name } of await client.db().listCollections().toArray()) {
      if ((await client.db().collection(name).countDocuments()) > 0) filled.push(name);
    }
    const entries = await readdir(target.storage.path, { recursive: true, withFileTypes: true });
    const blobs = entries
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(target.storage.path, path.join(entry.parentPath, entry.name)))
      .filter((file) => !file.startsWith('.health'));
    return { filled, blobs };
  } finally {
    await client.close();
  }
}

describe('backup of a seeded deployment', () => {
  let t: TestApp;
  let storage: TempDir;

  beforeAll(async () => {
    storage = await createTempDir('drill-source-storage');
    t = await createTestApp({
      env: { ...ADMIN_ENV, ...BACKUP_TEST_KEYS, FILE_STORAGE_PATH: storage.path },
    });
    seeded = await seed(t);
  });
  afterAll(async () => {
    await t?.close();
    await storage?.remove();
  });

  it('writes every collection and blob, with a manifest of counts and checksums', async () => {
    const tools = await openBackupTools(t.config);
    try {
      const report = await tools.backups.create(archive);
      expect(report).toMatchObject({ folder: archive, blobs: 3 });
    } finally {
      await tools.close();
    }
    expect((await readdir(work.path)).sort()).toEqual(['archive']);

    const manifest = JSON.parse(await readFile(path.join(archive, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'strongroom-backup',
      formatVersion: ARCHIVE_FORMAT_VERSION,
      appVersion: t.config.version,
      storage: { driver: 'local', blobsIncluded: true },
      blobs: { file: 'blobs.ndjson', count: 3 },
      // The key providers and ids that sealed the archive's data keys, each with one to try.
      keys: [
        { provider: 'local', keyId: 'drill', kind: expect.any(String), probe: expect.any(Object) },
      ],
    });
    for (const [name, documents] of Object.entries(seeded.counts)) {
      const entry = manifest.collections.find((c: { name: string }) => c.name === name);
      expect(entry).toMatchObject({ file: `collections/${name}.ndjson`, documents });
      const lines = (await readFile(path.join(archive, entry.file), 'utf8')).trimEnd().split('\n');
      expect(lines).toHaveLength(documents);
    }
    const audit = await readFile(path.join(archive, 'collections/audit_events.ndjson'), 'utf8');
    expect(audit.split('\n')[0]).toContain('"$date"');
    // Blobs are stored encrypted, so the list holds the stored bytes' hashes, as the copies do.
    const blobList = (await readFile(path.join(archive, 'blobs.ndjson'), 'utf8')).trim();
    const listed = blobList
      .split('\n')
      .map((line) => JSON.parse(line) as { key: string; size: number; sha256: string });
    expect(listed).toHaveLength(seeded.files.length);
    for (const blob of listed) {
      const copy = await readFile(path.join(archive, 'blobs', blob.key));
      expect({ size: copy.length, sha256: sha256(copy) }).toEqual({
        size: blob.size,
        sha256: blob.sha256,
      });
      expect(seeded.files.map((file) => file.sha256)).not.toContain(blob.sha256);
    }
  });

  it('refuses a folder that is not empty, and leaves no partial archive', async () => {
    const tools = await openBackupTools(t.config);
    try {
      await expect(tools.backups.create(archive)).rejects.toThrow(
        `${archive} is not empty; back up into a new or empty folder`,
      );
    } finally {
      await tools.close();
    }
    expect((await readdir(work.path)).sort()).toEqual(['archive']);
  });

  it('fails when a ready file has lost its blob, leaving no archive behind', async () => {
    const record = await collection(t, 'files').findOne({ name: 'notes.txt' });
    await rm(path.join(storage.path, ...(record!.storageKey as string).split('/')));
    const tools = await openBackupTools(t.config);
    try {
      await expect(tools.backups.create(path.join(work.path, 'second'))).rejects.toThrow(
        `blob ${record!.storageKey as string} of a ready file is missing from storage`,
      );
    } finally {
      await tools.close();
    }
    expect((await readdir(work.path)).sort()).toEqual(['archive']);
  });
});

describe('restore into an empty deployment', () => {
  let target: Awaited<ReturnType<typeof emptyTarget>>;
  let t: TestApp;

  beforeAll(async () => {
    target = await emptyTarget('drill-target');
    const tools = await openBackupTools(target.config);
    try {
      const report = await tools.restores.restore(archive);
      expect(report).toMatchObject({ blobs: 3, droppedCollections: 0, deletedBlobs: 0 });
      // Backed up again, the restored database gives the very same bytes, collection by collection.
      await tools.backups.create(path.join(work.path, 'again'));
      const collectionsOf = async (folder: string) =>
        (
          JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')) as {
            collections: { name: string; documents: number; sha256: string }[];
          }
        ).collections.map(({ name, documents, sha256: hash }) => ({ name, documents, hash }));
      expect(await collectionsOf(path.join(work.path, 'again'))).toEqual(
        await collectionsOf(archive),
      );
      await rm(path.join(work.path, 'again'), { recursive: true });
    } finally {
      await tools.close();
    }
    t = await createTestApp({
      keepDatabase: true,
      env: {
        ...BACKUP_TEST_KEYS,
        MONGO_URL: target.mongoUrl,
        FILE_STORAGE_PATH: target.storage.path,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await target?.remove();
  });

  it('has every document back', async () => {
    for (const [name, documents] of Object.entries(seeded.counts)) {
      expect([name, await collection(t, name).countDocuments()]).toEqual([name, documents]);
    }
    expect(await collection(t, 'restore_in_progress').countDocuments()).toBe(0);
  });

  it('serves every file with its sha256 to its owner, who signs in with the old password', async () => {
    const tokens = await login(t, seeded.owner.email, seeded.owner.password);
    for (const file of seeded.files) {
      const res = await bytesOf(
        t
          .http()
          .get(`/api/v1/files/${file.id}/content`)
          .set('Authorization', `Bearer ${tokens.accessToken}`),
      ).expect(200);
      expect([file.name, sha256(res.body as Buffer)]).toEqual([file.name, file.sha256]);
    }
  });

  it('still shares the shared file with its recipient', async () => {
    const tokens = await login(t, seeded.recipient.email, seeded.recipient.password);
    const bearer = `Bearer ${tokens.accessToken}`;
    const list = await t
      .http()
      .get('/api/v1/files?scope=shared')
      .set('Authorization', bearer)
      .expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([seeded.sharedFileId]);
    const res = await bytesOf(
      t.http().get(`/api/v1/files/${seeded.sharedFileId}/content`).set('Authorization', bearer),
    ).expect(200);
    expect(sha256(res.body as Buffer)).toBe(seeded.files[0].sha256);
  });

  it('still serves both links, the password one after unlocking', async () => {
    const open = await bytesOf(
      t.http().get(`/api/v1/public/links/${seeded.openLinkToken}/content`),
    ).expect(200);
    expect(sha256(open.body as Buffer)).toBe(seeded.files[1].sha256);

    await t.http().get(`/api/v1/public/links/${seeded.passwordLinkToken}/content`).expect(401);
    const unlocked = await t
      .http()
      .post(`/api/v1/public/links/${seeded.passwordLinkToken}/unlock`)
      .send({ password: LINK_PASSWORD })
      .expect(200);
    const locked = await bytesOf(t.http().get(unlocked.body.downloadUrl as string)).expect(200);
    expect(sha256(locked.body as Buffer)).toBe(seeded.files[2].sha256);
  });

  it('has an intact audit chain that goes on growing', async () => {
    const tokens = await login(t, seeded.auditor.email, seeded.auditor.password);
    const verify = await t
      .http()
      .get('/api/v1/audit-events/verify')
      .set('Authorization', `Bearer ${tokens.accessToken}`)
      .expect(200);
    expect(verify.body).toMatchObject({ valid: true });
    expect(verify.body.count).toBeGreaterThan(seeded.auditCount);
  });

  it('refuses to restore over it without --force, and changes nothing', async () => {
    const before = await whatIsIn(target);
    const tools = await openBackupTools(target.config);
    try {
      const refused = tools.restores.restore(archive);
      await expect(refused).rejects.toThrow(RestoreTargetNotEmptyError);
      await expect(refused).rejects.toThrow(
        /^the target is not empty: the database holds .*users \(\d+ documents\).*; storage holds blobs \(f\/.*pass --force to drop its collections and delete its blobs first; nothing was restored$/,
      );
    } finally {
      await tools.close();
    }
    expect(await whatIsIn(target)).toEqual(before);
  });
});

describe('restore --force over a deployment that has data', () => {
  it('drops the collections and blobs that were there and restores the archive; audit checkpoints stay', async () => {
    const target = await emptyTarget('drill-force');
    // Evidence about the database, not part of it: neither "not empty" nor deleted by --force.
    const checkpoint = path.join('audit-checkpoints', 'c000000000001');
    await mkdir(path.join(target.storage.path, 'audit-checkpoints'), { recursive: true });
    await writeFile(path.join(target.storage.path, checkpoint), '{"seq":1}');
    try {
      const tools = await openBackupTools(target.config);
      try {
        await tools.restores.restore(archive);
        await writeFile(path.join(target.storage.path, 'f', 'stray'), 'not from the archive');
        const report = await tools.restores.restore(archive, { force: true });
        expect(report.droppedCollections).toBeGreaterThanOrEqual(5);
        expect(report.deletedBlobs).toBe(4);
        expect(report.blobs).toBe(3);
      } finally {
        await tools.close();
      }
      const after = await whatIsIn(target);
      expect(after.blobs).toHaveLength(4);
      expect(after.blobs).toContain(checkpoint);
      expect(after.blobs).not.toContain(path.join('f', 'stray'));
    } finally {
      await target.remove();
    }
  });
});

describe('refused archives: a clear error, and nothing written', () => {
  const damaged: [string, (folder: string) => Promise<void>, RegExp][] = [
    [
      'a truncated collection file',
      async (folder) => {
        const file = path.join(folder, 'collections/audit_events.ndjson');
        const text = await readFile(file, 'utf8');
        await truncate(file, Buffer.byteLength(text) - 40);
      },
      /collections\/audit_events\.ndjson holds \d+ records, the manifest says \d+ \(truncated\?\)/,
    ],
    [
      'an edited document',
      async (folder) => {
        const file = path.join(folder, 'collections/users.ndjson');
        await writeFile(file, (await readFile(file, 'utf8')).replace('"user"', '"admin"'));
      },
      /collections\/users\.ndjson does not match its SHA-256 in the manifest/,
    ],
    [
      'a manifest from a newer format',
      (folder) =>
        editManifest(folder, (manifest) => ({
          ...manifest,
          formatVersion: ARCHIVE_FORMAT_VERSION + 1,
        })),
      new RegExp(
        `formatVersion ${ARCHIVE_FORMAT_VERSION + 1} is newer than this Strongroom \\(.*\\) reads \\(${ARCHIVE_FORMAT_VERSION}\\)`,
      ),
    ],
    [
      'a manifest from a newer release',
      (folder) => editManifest(folder, (manifest) => ({ ...manifest, appVersion: '99.0.0' })),
      /made by Strongroom 99\.0\.0, newer than this one/,
    ],
    [
      'a typo in a manifest field',
      (folder) =>
        editManifest(folder, (manifest) => {
          const [first, ...rest] = manifest.collections as Record<string, unknown>[];
          const { documents, ...others } = first;
          return { ...manifest, collections: [{ ...others, documnets: documents }, ...rest] };
        }),
      /manifest\.json: collections\[0\]\.documents: Required; collections\[0\]: Unrecognized key\(s\) in object: 'documnets'/,
    ],
    [
      'a manifest cut short',
      async (folder) => {
        const file = path.join(folder, 'manifest.json');
        await truncate(file, 100);
      },
      /manifest\.json is not valid JSON/,
    ],
    [
      'a missing blob',
      async (folder) => {
        const list = await readFile(path.join(folder, 'blobs.ndjson'), 'utf8');
        const { key } = JSON.parse(list.split('\n')[0]) as { key: string };
        await rm(path.join(folder, 'blobs', key));
      },
      /blobs\/f\/[0-9a-f/]+ is missing/,
    ],
    [
      'no manifest at all (an unfinished backup)',
      (folder) => rm(path.join(folder, 'manifest.json')),
      /has no manifest\.json: it is not a Strongroom backup, or one that never finished/,
    ],
  ];

  it.each(damaged)('%s', async (_case, damage, message) => {
    const copy = path.join(work.path, `damaged-${randomBytes(4).toString('hex')}`);
    await cp(archive, copy, { recursive: true });
    await damage(copy);
    const target = await emptyTarget('drill-refused');
    try {
      const tools = await openBackupTools(target.config);
      try {
        const refused = tools.restores.restore(copy);
        await expect(refused).rejects.toThrow(InvalidArchiveError);
        await expect(refused).rejects.toThrow(message);
      } finally {
        await tools.close();
      }
      expect(await whatIsIn(target)).toEqual({ filled: [], blobs: [] });
    } finally {
      await target.remove();
      await rm(copy, { recursive: true, force: true });
    }
  });
});

describe('a restore with keys that cannot open the archive', () => {
  const otherKey = () => randomBytes(32).toString('base64');

  it.each([
    [
      'the key id is not configured',
      `fresh:${otherKey()}`,
      /local:drill \([a-z ]+ keys; not configured\)/,
    ],
    [
      'the key id has another value',
      `drill:${otherKey()}`,
      /local:drill \([a-z ]+ keys; configured with a different value\)/,
    ],
  ])(
    'is refused before anything is written when %s, naming the key id and how to supply it',
    async (_case, keys, named) => {
      const target = await emptyTarget('drill-wrong-keys', { ENCRYPTION_KEYS: keys });
      try {
        const tools = await openBackupTools(target.config);
        try {
          const refused = tools.restores.restore(archive);
          await expect(refused).rejects.toThrow(RestoreKeysMissingError);
          await expect(refused).rejects.toThrow(named);
          await expect(refused).rejects.toThrow(/Supply the old keys in ENCRYPTION_KEYS/);
          await expect(refused).rejects.toThrow(/--with-dev-secrets <old secrets\.json>/);
        } finally {
          await tools.close();
        }
        expect(await whatIsIn(target)).toEqual({ filled: [], blobs: [] });
      } finally {
        await target.remove();
      }
    },
  );

  it('into a fresh development folder: refused, then restored with the old secrets.json carried over', async () => {
    // No keys in the environment: the new data folder generated its own, as `npm start` does.
    const target = await emptyTarget('drill-dev-folder', { ENCRYPTION_KEYS: '', SECRET_KEY: '' });
    const oldSecrets = path.join(work.path, 'old-secrets.json');
    await writeFile(
      oldSecrets,
      JSON.stringify({
        secretKey: BACKUP_TEST_KEYS.SECRET_KEY,
        encryptionKeys: BACKUP_TEST_KEYS.ENCRYPTION_KEYS,
      }),
    );
    try {
      const tools = await openBackupTools(target.config);
      try {
        await expect(tools.restores.restore(archive)).rejects.toThrow(
          /local:drill \([a-z ]+ keys; not configured\).*carry the old data folder's secrets\.json into DATA_DIR/,
        );
        expect(await whatIsIn(target)).toEqual({ filled: [], blobs: [] });

        const report = await tools.restores.restore(archive, { devSecrets: oldSecrets });
        expect(report.blobs).toBe(3);
        expect(report.secretsFile).toBe(path.join(target.dataDir, 'secrets.json'));
      } finally {
        await tools.close();
      }
      expect(await readFile(path.join(target.dataDir, 'secrets.json'), 'utf8')).toBe(
        await readFile(oldSecrets, 'utf8'),
      );
      const replaced = (await readdir(target.dataDir)).filter((name) =>
        name.startsWith('secrets.json.replaced-'),
      );
      expect(replaced).toHaveLength(1);
      expect((await stat(path.join(target.dataDir, replaced[0]))).isFile()).toBe(true);

      // Restarted on the carried secrets, the deployment serves the files again.
      const t = await createTestApp({
        keepDatabase: true,
        env: {
          DATA_DIR: target.dataDir,
          MONGO_URL: target.mongoUrl,
          FILE_STORAGE_PATH: target.storage.path,
        },
      });
      try {
        const tokens = await login(t, seeded.owner.email, seeded.owner.password);
        const [file] = seeded.files;
        const res = await bytesOf(
          t
            .http()
            .get(`/api/v1/files/${file.id}/content`)
            .set('Authorization', `Bearer ${tokens.accessToken}`),
        ).expect(200);
        expect(sha256(res.body as Buffer)).toBe(file.sha256);
      } finally {
        await t.close();
      }
    } finally {
      await target.remove();
    }
  });
});

describe('a restore that fails midway', () => {
  it('removes what it wrote, so the target is empty again, and says so', async () => {
    // A well-formed archive the database refuses: one user twice, so the unique _id trips.
    const copy = path.join(work.path, 'duplicated');
    await cp(archive, copy, { recursive: true });
    const file = path.join(copy, 'collections/users.ndjson');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const text = `${[...lines, lines[0]].join('\n')}\n`;
    await writeFile(file, text);
    await editManifest(copy, (manifest) => ({
      ...manifest,
      collections: (manifest.collections as { name: string }[]).map((entry) =>
        entry.name === 'users'
          ? { ...entry, documents: lines.length + 1, sha256: sha256(Buffer.from(text)) }
          : entry,
      ),
    }));
    const target = await emptyTarget('drill-midway');
    try {
      const tools = await openBackupTools(target.config);
      try {
        await expect(tools.restores.restore(copy)).rejects.toThrow(
          /^restore failed, and what it had written was removed again, so the target is empty: .*duplicate key/i,
        );
      } finally {
        await tools.close();
      }
      expect(await whatIsIn(target)).toEqual({ filled: [], blobs: [] });
    } finally {
      await target.remove();
    }
  });
});

async function editManifest(
  folder: string,
  edit: (manifest: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const file = path.join(folder, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify(edit(manifest), null, 2));
}
