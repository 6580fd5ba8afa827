import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import {
  InvalidStorageKeyError,
  loadGcsStorageAdapter,
  loadS3StorageAdapter,
  LocalStorageAdapter,
  StorageError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
  type StorageProvider,
} from '@strongroom/storage';
import { createTempDir, freeLoopbackPort, testGcsServer, testS3Server } from '@strongroom/testing';

/** One backend under test: how to build it, and how to look behind it where the port cannot. */
interface Subject {
  storage: StorageProvider;
  /** Multipart uploads started for the key but neither completed nor aborted. */
  unfinishedUploads?(key: string): Promise<number>;
  /** An empty backend of the same kind, so a sweep there touches nothing another test wrote. */
  scratch(): Promise<Scratch>;
  dispose(): Promise<void>;
}

interface Scratch {
  storage: StorageProvider;
  /** Leaves what a write killed half-way leaves; the answer tells whether it is still there. */
  leaveTemporary(): Promise<() => Promise<boolean>>;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

const MiB = 1024 * 1024;

const factories: [string, () => Promise<Subject>][] = [
  [
    'local',
    async () => {
      const dir = await createTempDir('storage-contract');
      const storage = new LocalStorageAdapter(dir.path);
      await storage.verifyRoot();
      let scratches = 0;
      return {
        storage,
        scratch: async () => {
          const root = path.join(dir.path, `.scratch-${(scratches += 1)}`);
          const scratch = new LocalStorageAdapter(root);
          await scratch.verifyRoot();
          return {
            storage: scratch,
            // The temp file a write keeps beside its target until the rename.
            leaveTemporary: async () => {
              const folder = path.join(root, 'files', 'ab');
              await mkdir(folder, { recursive: true });
              const temp = path.join(folder, `.tmp-${randomBytes(8).toString('hex')}`);
              await writeFile(temp, 'half a file');
              return () => exists(temp);
            },
          };
        },
        dispose: () => dir.remove(),
      };
    },
  ],
  [
    's3 (MinIO)',
    async () => {
      const server = testS3Server();
      const S3StorageAdapter = await loadS3StorageAdapter();
      const storage = new S3StorageAdapter({
        bucket: server.bucket,
        region: server.region,
        endpoint: server.endpoint,
        forcePathStyle: true,
      });
      const client = new S3Client({
        region: server.region,
        endpoint: server.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: server.accessKey, secretAccessKey: server.secretKey },
      });
      return {
        storage,
        // MinIO lists uploads only for an exact key, not for a shorter prefix.
        unfinishedUploads: (key: string) => unfinishedUploads(client, server.bucket, key),
        scratch: async () => {
          const bucket = `scratch-${randomBytes(6).toString('hex')}`;
          await client.send(new CreateBucketCommand({ Bucket: bucket }));
          return {
            storage: new S3StorageAdapter({
              bucket,
              region: server.region,
              endpoint: server.endpoint,
              forcePathStyle: true,
            }),
            // A multipart upload with a part sent and never completed: what a killed write leaves.
            leaveTemporary: async () => {
              const key = `files/${randomBytes(8).toString('hex')}`;
              const { UploadId } = await client.send(
                new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
              );
              await client.send(
                new UploadPartCommand({
                  Bucket: bucket,
                  Key: key,
                  UploadId,
                  PartNumber: 1,
                  Body: Buffer.alloc(1024, 7),
                }),
              );
              return async () => (await unfinishedUploads(client, bucket, key)) > 0;
            },
          };
        },
        dispose: () => Promise.resolve(client.destroy()),
      };
    },
  ],
  [
    'gcs (fake-gcs-server)',
    async () => {
      const server = testGcsServer();
      const GcsStorageAdapter = await loadGcsStorageAdapter();
      const storage = new GcsStorageAdapter({
        bucket: server.bucket,
        projectId: 'strongroom-test',
        apiEndpoint: server.endpoint,
      });
      const client = new Storage({ apiEndpoint: server.endpoint, projectId: 'strongroom-test' });
      return {
        storage,
        scratch: async () => {
          const [bucket] = await client.createBucket(`scratch-${randomBytes(6).toString('hex')}`);
          return {
            storage: new GcsStorageAdapter({
              bucket: bucket.name,
              projectId: 'strongroom-test',
              apiEndpoint: server.endpoint,
            }),
            // A resumable session leaves nothing listable; a temporary object is what can remain.
            leaveTemporary: async () => {
              const file = bucket.file(`.tmp/${randomBytes(8).toString('hex')}`);
              await file.save('half a file', { resumable: false });
              return async () => (await file.exists())[0];
            },
          };
        },
        dispose: () => Promise.resolve(),
      };
    },
  ],
];

async function unfinishedUploads(client: S3Client, bucket: string, key: string): Promise<number> {
  const listing = await client.send(
    new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }),
  );
  return listing.Uploads?.length ?? 0;
}

describe.each(factories)('StorageProvider contract: %s', (_name, create) => {
  let subject: Subject;
  let storage: StorageProvider;
  // Every run writes under its own prefix, so the shared buckets need no cleaning between tests.
  const run = `contract-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    subject = await create();
    storage = subject.storage;
  });

  afterAll(async () => {
    await subject?.dispose();
  });

  it('passes its health check', async () => {
    await expect(storage.checkHealth()).resolves.toBeUndefined();
  });

  it('stores and returns an empty object', async () => {
    const key = `${run}/empty`;
    const stored = await storage.write(key, Readable.from([], { objectMode: false }));
    expect(stored).toEqual({ size: 0, sha256: sha256Hex(Buffer.alloc(0)) });
    expect(await storage.stat(key)).toEqual({ size: 0 });
    expect(await digest(await storage.read(key))).toEqual(stored);
  });

  it('stores and returns a small object', async () => {
    const key = `${run}/small`;
    const bytes = Buffer.from('strongroom keeps these bytes exactly as written\n');
    const stored = await storage.write(key, Readable.from([bytes], { objectMode: false }));
    expect(stored).toEqual({ size: bytes.length, sha256: sha256Hex(bytes) });
    expect(await storage.stat(key)).toEqual({ size: bytes.length });
    expect(await collect(await storage.read(key))).toEqual(bytes);
  });

  it('counts without hashing when told to skip the SHA-256, and stores the same bytes', async () => {
    const key = `${run}/unhashed`;
    const size = 3 * MiB + 7;
    const stored = await storage.write(key, prngStream(11, size), { sha256: false });
    expect(stored).toEqual({ size });
    expect(await digest(await storage.read(key))).toEqual(await digest(prngStream(11, size)));
  });

  it('streams a 20 MiB object in and out without holding it in memory', async () => {
    const key = `${run}/large`;
    const size = 20 * MiB;
    const expected = await digest(prngStream(42, size));

    const stored = await storage.write(key, prngStream(42, size));
    expect(stored).toEqual(expected);
    expect(await storage.stat(key)).toEqual({ size });
    expect(await digest(await storage.read(key))).toEqual(expected);

    // Across the boundary of S3's 8 MiB parts.
    const range = { start: 8 * MiB - 5, end: 8 * MiB + 4 };
    expect(await collect(await storage.read(key, range))).toEqual(prngBytes(42, range));
  }, 120_000);

  describe('ranged reads', () => {
    const key = `${run}/ranged`;
    const bytes = prngBytes(7, { start: 0, end: 999 });

    beforeAll(async () => {
      await storage.write(key, Readable.from([bytes], { objectMode: false }));
    });

    it.each([
      ['the first byte', 0, 0],
      ['a middle range', 100, 199],
      ['the last byte', 999, 999],
      ['the whole object', 0, 999],
    ])('returns %s', async (_label, start, end) => {
      const read = await collect(await storage.read(key, { start, end }));
      expect(read).toEqual(bytes.subarray(start, end + 1));
    });
  });

  it('reports a missing object as StorageObjectNotFoundError', async () => {
    const key = `${run}/never-written`;
    await expect(storage.stat(key)).rejects.toBeInstanceOf(StorageObjectNotFoundError);
    await expect(storage.read(key)).rejects.toBeInstanceOf(StorageObjectNotFoundError);
    await expect(storage.read(key, { start: 0, end: 0 })).rejects.toBeInstanceOf(
      StorageObjectNotFoundError,
    );
  });

  it('deletes idempotently', async () => {
    const key = `${run}/deleted`;
    await storage.write(key, Readable.from([Buffer.from('bye')], { objectMode: false }));
    await storage.delete(key);
    await expect(storage.stat(key)).rejects.toBeInstanceOf(StorageObjectNotFoundError);
    await expect(storage.delete(key)).resolves.toBeUndefined();
    await expect(storage.delete(`${run}/never-written`)).resolves.toBeUndefined();
  });

  it('lists the keys under a prefix, by whole segments', async () => {
    const keys = [`${run}/list/a/1`, `${run}/list/a/2`, `${run}/list/b/1`, `${run}/listx/1`];
    for (const key of keys) {
      await storage.write(key, Readable.from([Buffer.from(key)], { objectMode: false }));
    }
    expect(await listed(storage, `${run}/list/a`)).toEqual(keys.slice(0, 2));
    expect(await listed(storage, `${run}/list`)).toEqual(keys.slice(0, 3));
    expect(await listed(storage, `${run}/nothing-here`)).toEqual([]);
  });

  it('leaves nothing behind when the source fails half-way', async () => {
    const key = `${run}/failed/object`;
    const sourceError = new Error('the client went away');
    // Past the first 8 MiB part, so S3 has a multipart upload to abort.
    const source = Readable.from(failingAfter(prngStream(3, 12 * MiB), sourceError), {
      objectMode: false,
    });

    const failure = await storage.write(key, source).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as Error).cause).toBe(sourceError);

    await expect(storage.stat(key)).rejects.toBeInstanceOf(StorageObjectNotFoundError);
    expect(await listed(storage, `${run}/failed`)).toEqual([]);
    if (subject.unfinishedUploads) expect(await subject.unfinishedUploads(key)).toBe(0);
  }, 60_000);

  it('sweeps the temporaries a killed write leaves once old enough, keeps young ones and objects', async () => {
    const scratch = await subject.scratch();
    const kept = 'files/cd/kept';
    await scratch.storage.write(
      kept,
      Readable.from([Buffer.from('complete')], { objectMode: false }),
    );
    const stillThere = await scratch.leaveTemporary();

    expect(await scratch.storage.sweepTemporaries(60 * 60_000)).toBe(0);
    expect(await stillThere()).toBe(true);

    // Timestamps of some backends have one-second resolution.
    await sleep(1_100);
    expect(await scratch.storage.sweepTemporaries(0)).toBe(1);
    expect(await stillThere()).toBe(false);
    expect(await listed(scratch.storage, 'files')).toEqual([kept]);
    expect(await scratch.storage.sweepTemporaries(0)).toBe(0);
  }, 60_000);

  const invalidKeys = ['../escape', '/absolute', 'a//b', 'a/./b', 'trailing/', '', 'spaced key'];

  it.each(invalidKeys)('refuses to write or read under the invalid key %j', async (key) => {
    const body = Readable.from([Buffer.from('x')], { objectMode: false });
    await expect(storage.write(key, body)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.read(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(listed(storage, '../escape')).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });

  it.each(invalidKeys)('refuses to stat or delete under the invalid key %j', async (key) => {
    await expect(storage.stat(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });
});

/** The remote adapters against a port nobody listens on, and a server that never answers. */
describe.each([
  [
    's3',
    async (endpoint: string) =>
      new (await loadS3StorageAdapter())(
        { bucket: 'strongroom-test', region: 'us-east-1', endpoint, forcePathStyle: true },
        { connectionTimeoutMs: 1_000, requestTimeoutMs: 1_000 },
      ),
  ],
  [
    'gcs',
    async (endpoint: string) =>
      new (await loadGcsStorageAdapter())(
        { bucket: 'strongroom-test', apiEndpoint: endpoint },
        { requestTimeoutMs: 1_000 },
      ),
  ],
])('StorageProvider %s when the backend is down', (_name, create) => {
  const BOUND_MS = 15_000;
  let silent: net.Server;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  const endpoints: [string, () => Promise<string>][] = [
    ['a closed port', async () => `http://127.0.0.1:${await freeLoopbackPort()}`],
    ['a server that never answers', () => Promise.resolve(serverUrl(silent))],
  ];

  describe.each(endpoints)('at %s', (_label, endpoint) => {
    let storage: StorageProvider;

    beforeAll(async () => {
      storage = await create(await endpoint());
    });

    it('fails the health check with StorageUnavailableError, promptly', async () => {
      await expectUnavailableWithin(storage.checkHealth(), BOUND_MS);
    });

    it('fails writes, reads and stats with StorageUnavailableError, promptly', async () => {
      await expectUnavailableWithin(
        storage.write('some/key', Readable.from([Buffer.from('data')], { objectMode: false })),
        BOUND_MS,
      );
      await expectUnavailableWithin(storage.read('some/key'), BOUND_MS);
      await expectUnavailableWithin(storage.stat('some/key'), BOUND_MS);
    }, 60_000);
  });
});

async function expectUnavailableWithin(call: Promise<unknown>, boundMs: number): Promise<void> {
  const started = Date.now();
  await expect(call).rejects.toBeInstanceOf(StorageUnavailableError);
  expect(Date.now() - started).toBeLessThan(boundMs);
}

function serverUrl(server: net.Server): string {
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Size and sha256 of a stream, read chunk by chunk. */
async function digest(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listed(storage: StorageProvider, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of storage.list(prefix)) keys.push(key);
  return keys.sort();
}

/** Deterministic pseudo-random bytes (xorshift32), generated 64 KiB at a time. */
function* prngChunks(seed: number, size: number): Generator<Buffer> {
  let state = seed >>> 0 || 1;
  for (let offset = 0; offset < size;) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, size - offset));
    for (let i = 0; i < chunk.length; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      chunk[i] = state & 0xff;
    }
    offset += chunk.length;
    yield chunk;
  }
}

function prngStream(seed: number, size: number): Readable {
  return Readable.from(prngChunks(seed, size), { objectMode: false });
}

/** The inclusive byte range of the sequence prngStream(seed, …) produces. */
function prngBytes(seed: number, range: { start: number; end: number }): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (const chunk of prngChunks(seed, range.end + 1)) {
    if (offset + chunk.length > range.start) parts.push(chunk);
    offset += chunk.length;
  }
  const joined = Buffer.concat(parts);
  const skip = range.start - (offset - joined.length);
  return joined.subarray(skip, skip + range.end - range.start + 1);
}

async function* failingAfter(source: Readable, error: Error): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield chunk as Buffer;
  throw error;
}
