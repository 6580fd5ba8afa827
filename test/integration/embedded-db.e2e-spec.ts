import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { EmbeddedDbProcess, ensureEmbeddedDbBinary } from '../../libs/embedded-db/src';

function client(url: string): MongoClient {
  return new MongoClient(url, { serverSelectionTimeoutMS: 2_000, connectTimeoutMS: 2_000 });
}

async function ping(url: string): Promise<void> {
  const c = client(url);
  try {
    await c.db('admin').command({ ping: 1 });
  } finally {
    await c.close();
  }
}

describe('EmbeddedDbProcess', () => {
  let tempDir: string;

  beforeAll(async () => {
    await ensureEmbeddedDbBinary();
  }, 300_000);

  beforeEach(async () => {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-embedded-db-'));
  });

  afterEach(async () => {
    await rm(tempDir, { recursive: true, force: true });
  });

  it('is started by the global setup for the whole run', async () => {
    const url = process.env.STRONGROOM_TEST_MONGO_URL;
    expect(url).toBeDefined();
    await ping(url!);
  });

  it('keeps data across a crash and a restart on the same port', async () => {
    const db = await EmbeddedDbProcess.start({ dataDir: path.join(tempDir, 'data') });
    try {
      expect(db.url).toBe(`mongodb://127.0.0.1:${db.port}/`);
      expect(db.logFile).toBe(path.join(tempDir, 'data', 'embedded-db.log'));
      const firstPid = db.pid;

      const c = client(db.url);
      try {
        await c.db('probe').collection('things').insertOne({ name: 'kept', n: 42 });
        const found = await c.db('probe').collection('things').findOne({ name: 'kept' });
        expect(found).toMatchObject({ name: 'kept', n: 42 });
      } finally {
        await c.close();
      }

      await db.kill();
      await expect(ping(db.url)).rejects.toThrow();

      await db.restart();
      expect(db.pid).not.toBe(firstPid);

      const again = client(db.url);
      try {
        const found = await again.db('probe').collection('things').findOne({ name: 'kept' });
        expect(found).toMatchObject({ name: 'kept', n: 42 });
      } finally {
        await again.close();
      }
    } finally {
      await db.stop();
    }
    await db.stop(); // idempotent
  });

  it('refuses a second server on a data folder in use, naming the process that holds it', async () => {
    const dataDir = path.join(tempDir, 'data');
    const first = await EmbeddedDbProcess.start({ dataDir });
    try {
      await expect(
        EmbeddedDbProcess.start({ dataDir, logFile: path.join(tempDir, 'second.log') }),
      ).rejects.toThrow(
        new RegExp(
          `exited with code 1 before it was ready[\\s\\S]*in use by embedded-db process ${first.pid} \\(started by process ${process.pid}\\)`,
        ),
      );
      await ping(first.url);
    } finally {
      await first.stop();
    }
    // The lock goes with its holder: a crash leaves nothing to clean up.
    const next = await EmbeddedDbProcess.start({ dataDir });
    await next.kill();
    const after = await EmbeddedDbProcess.start({ dataDir });
    await after.stop();
  });

  it('rejects start() with the server output when the data folder is unusable', async () => {
    const notAFolder = path.join(tempDir, 'regular-file');
    await writeFile(notAFolder, 'x');

    await expect(
      EmbeddedDbProcess.start({
        dataDir: path.join(notAFolder, 'data'),
        logFile: path.join(tempDir, 'embedded-db.log'),
      }),
    ).rejects.toThrow(/exited with code 1 before it was ready[\s\S]*not a directory/);
  });

  it('rejects start() clearly when the default log file cannot be created', async () => {
    const notAFolder = path.join(tempDir, 'regular-file');
    await writeFile(notAFolder, 'x');

    await expect(
      EmbeddedDbProcess.start({ dataDir: path.join(notAFolder, 'data') }),
    ).rejects.toThrow(/cannot create the folder for .*embedded-db\.log/);
  });
});
