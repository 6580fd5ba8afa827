import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import {
  assertTestDatabase,
  createTempDir,
  type TempDir,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from '@strongroom/testing';
import { collection, signUp } from '../../support/accounts';
import { BACKUP_TEST_KEYS } from '../../support/backup';
import { childEnv, finished, type Finished, repoRoot } from '../../support/cli';
import { sha256, upload } from '../../support/files';
import { createTestApp, type TestApp } from '../../support/test-app';

const CHILD_TIMEOUT_MS = 120_000;
jest.setTimeout(5 * CHILD_TIMEOUT_MS);

/**
 * A command line as deploy/README.md gives it, with our archive folder in place of the example
 * one, so the runbook's commands are the ones tested.
 */
async function runbookCommand(
  command: 'backup' | 'restore',
  folder: string,
  { force = false } = {},
): Promise<string[]> {
  const runbook = await readFile(path.join(repoRoot, 'deploy/README.md'), 'utf8');
  const line = runbook
    .split('\n')
    .map((text) => text.replace(/\s+#.*$/, '').trim())
    .find(
      (text) =>
        text.startsWith(`npm run cli -- ${command} `) && text.endsWith(' --force') === force,
    );
  if (!line) throw new Error(`deploy/README.md has no 'npm run cli -- ${command}' line`);
  const words = line.split(/\s+/);
  const at = words.findIndex((word) => word === '--out' || word === '--from') + 1;
  expect(at).toBeGreaterThan(0);
  words[at] = folder;
  return words;
}

/** Runs a command line (npm run cli -- …) with the deployment's environment. */
function run(commandLine: string[], env: Record<string, string>): Promise<Finished> {
  const [program, ...args] = commandLine;
  const child = spawn(program, args, {
    cwd: repoRoot,
    env: childEnv({
      PATH: `${path.join(repoRoot, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      LOG_LEVEL: 'error',
      ...BACKUP_TEST_KEYS,
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return finished(child, CHILD_TIMEOUT_MS);
}

async function documentCounts(mongoUrl: string): Promise<Record<string, number>> {
  const client = await MongoClient.connect(mongoUrl);
  try {
    const counts: Record<string, number> = {};
    for (const { name } of await client.db().listCollections().toArray()) {
      const documents = await client.db().collection(name).countDocuments();
      if (documents > 0) counts[name] = documents;
    }
    return counts;
  } finally {
    await client.close();
  }
}

describe("the runbook's backup and restore commands", () => {
  let t: TestApp;
  let work: TempDir;
  let sourceStorage: TempDir;
  let targetStorage: TempDir;
  const targetUrl = uniqueTestDatabaseUrl(testServerUrl());
  const data = Buffer.from('the minutes of the board meeting\n');

  beforeAll(async () => {
    assertTestDatabase(targetUrl);
    work = await createTempDir('backup-cli');
    sourceStorage = await createTempDir('backup-cli-source');
    targetStorage = await createTempDir('backup-cli-target');
    t = await createTestApp({
      env: { ...BACKUP_TEST_KEYS, FILE_STORAGE_PATH: sourceStorage.path },
    });
    const owner = await signUp(t, 'cli-backup');
    await upload(t, owner, data, 'minutes.txt').expect(201);
  });

  afterAll(async () => {
    await t?.close();
    const client = await MongoClient.connect(targetUrl);
    await client.db().dropDatabase();
    await client.close();
    await Promise.all([work, sourceStorage, targetStorage].map((dir) => dir?.remove()));
  });

  it('backs up, restores into an empty deployment, refuses a second restore, and forces one', async () => {
    const archive = path.join(work.path, 'strongroom-backup');
    const source = {
      MONGO_URL: t.config.database.url!,
      FILE_STORAGE_PATH: sourceStorage.path,
      DATA_DIR: work.path,
    };
    const target = {
      MONGO_URL: targetUrl,
      FILE_STORAGE_PATH: targetStorage.path,
      DATA_DIR: work.path,
    };

    const backup = await run(await runbookCommand('backup', archive), source);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    // Blobs are stored encrypted: one AES-GCM chunk adds its 16-byte tag.
    const storedSize = data.length + 16;
    expect(backup.stdout).toMatch(
      new RegExp(
        `backed up \\d+ documents in \\d+ collections and 1 blobs \\(${storedSize} bytes\\) to ${archive}\n$`,
      ),
    );

    const restore = await run(await runbookCommand('restore', archive), target);
    expect(restore.stderr).toBe('');
    expect(restore.status).toBe(0);
    expect(restore.stdout).toMatch(/restored \d+ documents in \d+ collections and 1 blobs\n$/);

    const sourceCounts = await documentCounts(source.MONGO_URL);
    expect(await documentCounts(targetUrl)).toEqual(sourceCounts);
    const record = await collection(t, 'files').findOne({ name: 'minutes.txt' });
    const keyPath = (record!.storageKey as string).split('/');
    const restoredBlob = await readFile(path.join(targetStorage.path, ...keyPath));
    const sourceBlob = await readFile(path.join(sourceStorage.path, ...keyPath));
    expect(sha256(restoredBlob)).toBe(sha256(sourceBlob));

    const again = await run(await runbookCommand('restore', archive), target);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^error: the target is not empty: the database holds .*users/);
    expect(again.stderr).toContain('pass --force');

    const forced = await run(await runbookCommand('restore', archive, { force: true }), target);
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(/after dropping \d+ collections and deleting 1 blobs\n$/);
    expect(await documentCounts(targetUrl)).toEqual(sourceCounts);
  });
});
