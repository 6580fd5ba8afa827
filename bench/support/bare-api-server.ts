/**
 * Child process of the requests benchmark: the bare Node baseline for small authenticated
 * requests. Plain `node:http`, no framework, no logging, doing per request the least work ours
 * must do: verify the HS256 access token (same secret, issuer, audience) and look its user up by
 * id in the same database (BENCH_MONGO_URL, the database our server uses), then
 *
 * - `GET /me`: answer the user as JSON;
 * - `GET /files/<id>`: look the file up (ready, owned by the caller) and answer its metadata;
 * - `GET /files/<id>/content`: the same lookups, then read the file's stored ciphertext from our
 *   server's storage folder (BENCH_STORAGE_ROOT), open its AES-256-GCM chunks with the key of
 *   ENCRYPTION_KEYS its record names, as ours does, and send the plaintext with Content-Length.
 *   The unwrapped data key is kept per file, as ours keeps it (KEY_CACHE_TTL).
 *
 * Prints the ready line `{"ready":true,"port":…,"pid":…}` once it listens on 127.0.0.1.
 */
import { createSecretKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import {
  ChunkSealer,
  chunkCount,
  type EncryptionHeader,
  KeyRing,
  sealedChunkStart,
  TAG_BYTES,
} from '@strongroom/encryption';
import { announceReady } from './child-process';

/* eslint-disable no-restricted-properties -- a benchmark child: configured by its parent */
const mongoUrl = process.env.BENCH_MONGO_URL;
const secret = process.env.BENCH_SECRET_KEY;
const storageRoot = process.env.BENCH_STORAGE_ROOT;
const encryptionKeys = process.env.BENCH_ENCRYPTION_KEYS;
/* eslint-enable no-restricted-properties */
if (!mongoUrl || !secret || !storageRoot || !encryptionKeys) {
  throw new Error(
    'BENCH_MONGO_URL, BENCH_SECRET_KEY, BENCH_STORAGE_ROOT and BENCH_ENCRYPTION_KEYS must be set',
  );
}
const keyRing = new KeyRing(
  encryptionKeys.split(',').map((entry) => {
    const [id, key] = entry.split(':');
    return { id, key: Buffer.from(key, 'base64') };
  }),
);
const { ObjectId } = mongoose.mongo;
type ObjectId = InstanceType<typeof ObjectId>;

interface UserRecord {
  _id: ObjectId;
  email: string;
  role: string;
  disabled?: boolean;
  tokenVersion: number;
  storageUsed: number;
  quota: number;
  createdAt: Date;
  lastLoginAt?: Date;
}

interface FileRecord {
  _id: ObjectId;
  uploader: ObjectId;
  name: string;
  size: number;
  contentType: string;
  sha256?: string;
  uploadedAt: Date;
  status: string;
  storageKey: string;
  encryption: EncryptionHeader;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function main(): Promise<void> {
  const client = await new mongoose.mongo.MongoClient(mongoUrl as string).connect();
  const db = client.db();
  const users = db.collection<UserRecord>('users');
  const files = db.collection<FileRecord>('files');
  const sealers = new Map<string, ChunkSealer>();
  const sealerOf = (file: FileRecord): ChunkSealer => {
    const id = file._id.toHexString();
    let sealer = sealers.get(id);
    if (!sealer) {
      const header = file.encryption;
      sealer = new ChunkSealer({
        dataKey: keyRing.unwrap(header, id),
        noncePrefix: Buffer.from(header.noncePrefix, 'base64'),
        fileId: id,
        chunkSize: header.chunkSize,
      });
      sealers.set(id, sealer);
    }
    return sealer;
  };
  // As ours does: a string secret makes jsonwebtoken try it as a PEM key on every call first.
  const key = createSecretKey(Buffer.from(secret as string));

  async function caller(req: IncomingMessage) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return null;
    try {
      const claims = jwt.verify(token, key, {
        algorithms: ['HS256'],
        issuer: 'strongroom',
        audience: 'strongroom-api',
      }) as { sub: string; ver: number };
      const user = await users.findOne({ _id: new ObjectId(claims.sub) });
      return user && !user.disabled && user.tokenVersion === claims.ver ? user : null;
    } catch {
      return null;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = await caller(req);
    if (!user) return answer(res, 401, { message: 'Unauthorized' });
    const url = req.url ?? '';
    if (url === '/me') {
      return answer(res, 200, {
        id: user._id.toHexString(),
        email: user.email,
        role: user.role,
        disabled: user.disabled === true,
        storageUsed: user.storageUsed,
        quota: user.quota,
        createdAt: user.createdAt,
        lastLoginAt: user.lastLoginAt,
      });
    }
    const match = /^\/files\/([0-9a-f]{24})(\/content)?$/.exec(url);
    if (!match) return answer(res, 404, { message: 'Not found' });
    const file = await files.findOne({ _id: new ObjectId(match[1]), status: 'ready' });
    if (!file || !user._id.equals(file.uploader)) return answer(res, 404, { message: 'Not found' });
    if (!match[2]) {
      return answer(res, 200, {
        id: file._id.toHexString(),
        name: file.name,
        size: file.size,
        contentType: file.contentType,
        sha256: file.sha256,
        uploadedAt: file.uploadedAt,
        owner: user._id.toHexString(),
      });
    }
    const sealer = sealerOf(file);
    const stored = await readFile(path.join(storageRoot as string, ...file.storageKey.split('/')));
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': file.size,
    });
    const chunks = chunkCount(file.size, sealer.chunkSize);
    for (let index = 0; index < chunks; index++) {
      const last = index === chunks - 1;
      const sealed = stored.subarray(
        sealedChunkStart(index, sealer.chunkSize),
        last ? stored.length : sealedChunkStart(index + 1, sealer.chunkSize),
      );
      const tagAt = sealed.length - TAG_BYTES;
      const opener = sealer.opener(index, last);
      const plaintext = opener.update(sealed.subarray(0, tagAt));
      opener.verify(sealed.subarray(tagAt));
      res.write(plaintext);
    }
    res.end();
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) answer(res, 500, { message: 'Internal server error' });
      else res.destroy();
    });
  });
  server.listen(0, '127.0.0.1', () => announceReady((server.address() as AddressInfo).port));
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void client.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error('the bare API server did not start:', error);
  process.exit(1);
});
