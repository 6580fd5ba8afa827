/**
 * Child process of the transfer benchmark: the bare Node baseline. Plain `node:http`, no
 * framework, serving one folder (BENCH_SERVE_DIR):
 *
 * - `POST /upload`: busboy (the parser multer uses, with its defaults) takes the one file part;
 *   its bytes are hashed with SHA-256 and written to a temporary file, fsynced before close
 *   (`flush`), renamed into place and the folder fsynced: the durability our local driver gives.
 *   Answers 201 `{name, size, sha256}`.
 * - `GET /files/<name>`: `fs.createReadStream` piped to the response, with Content-Length.
 * - `DELETE /files/<name>`: removes it (204).
 * - `POST /uploads` (with `Upload-Length`) and `PATCH /uploads/<name>` (with `Upload-Offset`): the
 *   floor of the resumable benchmark, the least a tus server does with the same durability. A
 *   PATCH's body is appended to the file and fsynced before the answer (204 with the new
 *   `Upload-Offset`), or with BENCH_S3_BUCKET set (and the S3_* variables of our own server)
 *   becomes one UploadPart of a multipart upload, completed by the last PATCH. The offset and a
 *   running SHA-256 live in this process's memory (no database, no lock, no encryption); the last
 *   answer carries the SHA-256 in `Bare-Sha256`.
 *
 * Prints the ready line `{"ready":true,"port":…,"pid":…}` once it listens on 127.0.0.1.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { createWriteStream, createReadStream } from 'node:fs';
import { open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { announceReady } from './child-process';

/** The little of busboy's API used here (it ships no types; multer depends on it). */
type Busboy = Writable & {
  on(event: 'file', listener: (field: string, stream: Readable, info: unknown) => void): Busboy;
  on(event: 'close', listener: () => void): Busboy;
  on(event: 'error', listener: (error: Error) => void): Busboy;
};
const busboy = createRequire(__filename)('busboy') as (config: {
  headers: IncomingMessage['headers'];
}) => Busboy;

// eslint-disable-next-line no-restricted-properties -- a benchmark child: configured by its parent
const serveDir = process.env.BENCH_SERVE_DIR;
if (!serveDir) throw new Error('BENCH_SERVE_DIR is not set');
const root = serveDir;

function answer(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function syncRoot(): Promise<void> {
  const folder = await open(root, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parser = busboy({ headers: req.headers });
  const stored: Promise<{ name: string; size: number; sha256: string }>[] = [];
  parser.on('file', (_field, file) => {
    const name = `upload-${randomUUID()}`;
    const hash = createHash('sha256');
    let size = 0;
    file.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    const temp = path.join(root, `.tmp-${name}`);
    stored.push(
      pipeline(file, createWriteStream(temp, { flush: true, mode: 0o644 }))
        .then(() => rename(temp, path.join(root, name)))
        .then(syncRoot)
        .then(() => ({ name, size, sha256: hash.digest('hex') })),
    );
  });
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', reject);
  });
  await pipeline(req, parser);
  await parsed;
  const files = await Promise.all(stored);
  if (files.length !== 1) return answer(res, 400, { error: 'send exactly one file part' });
  answer(res, 201, files[0]);
}

interface Appendable {
  length: number;
  offset: number;
  hash: Hash;
  /** On S3: the multipart upload and the ETags of its parts so far. */
  multipart?: { uploadId: string; etags: string[] };
}

const appendables = new Map<string, Appendable>();
const s3 = s3Target();

function s3Target(): { client: S3Client; bucket: string } | undefined {
  // eslint-disable-next-line no-restricted-properties -- a benchmark child: configured by its parent
  const env = process.env;
  if (!env.BENCH_S3_BUCKET) return undefined;
  const client = new S3Client({
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
  });
  return { client, bucket: env.BENCH_S3_BUCKET };
}

async function createAppendable(req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  const length = Number(req.headers['upload-length']);
  if (!Number.isSafeInteger(length) || length < 0) return answer(res, 400);
  const name = `upload-${randomUUID()}`;
  const entry: Appendable = { length, offset: 0, hash: createHash('sha256') };
  if (s3) {
    const { UploadId } = await s3.client.send(
      new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key: name }),
    );
    entry.multipart = { uploadId: String(UploadId), etags: [] };
  } else {
    await writeFile(path.join(root, name), '', { mode: 0o644 });
  }
  appendables.set(name, entry);
  res.writeHead(201, { location: `/uploads/${name}`, 'upload-offset': '0' }).end();
}

async function append(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  const entry = appendables.get(name);
  if (!entry) return answer(res, 404);
  if (Number(req.headers['upload-offset']) !== entry.offset) return answer(res, 409);
  const hash = entry.hash.copy();
  let received = 0;
  const counted = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk);
      received += chunk.length;
      yield chunk;
    }
  };
  if (entry.multipart && s3) {
    const chunks: Buffer[] = [];
    for await (const chunk of counted(req)) chunks.push(chunk);
    const { ETag } = await s3.client.send(
      new UploadPartCommand({
        Bucket: s3.bucket,
        Key: name,
        UploadId: entry.multipart.uploadId,
        PartNumber: entry.multipart.etags.length + 1,
        Body: Buffer.concat(chunks),
      }),
    );
    entry.multipart.etags.push(String(ETag));
  } else {
    await pipeline(
      req,
      counted,
      createWriteStream(path.join(root, name), { flags: 'a', flush: true }),
    );
  }
  entry.offset += received;
  entry.hash = hash;
  const headers: Record<string, string> = { 'upload-offset': String(entry.offset) };
  if (entry.offset === entry.length) {
    appendables.delete(name);
    headers['bare-sha256'] = hash.digest('hex');
    if (entry.multipart && s3) {
      await s3.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: s3.bucket,
          Key: name,
          UploadId: entry.multipart.uploadId,
          MultipartUpload: {
            Parts: entry.multipart.etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })),
          },
        }),
      );
    }
  }
  res.writeHead(204, headers).end();
}

function fileOf(url: string): string | undefined {
  const name = /^\/files\/([\w.-]+)$/.exec(url)?.[1];
  return name ? path.join(root, name) : undefined;
}

async function download(res: ServerResponse, file: string): Promise<void> {
  const { size } = await stat(file);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
  await pipeline(createReadStream(file), res);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (req.method === 'POST' && url === '/upload') return upload(req, res);
  if (req.method === 'POST' && url === '/uploads') return createAppendable(req, res);
  const appendable = /^\/uploads\/([\w-]+)$/.exec(url)?.[1];
  if (req.method === 'PATCH' && appendable) return append(req, res, appendable);
  const file = fileOf(url);
  if (req.method === 'GET' && file) return download(res, file);
  if (req.method === 'DELETE' && file) {
    await unlink(file);
    return answer(res, 204);
  }
  answer(res, 404, { error: 'not found' });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error: Error) => {
    if (res.headersSent) res.destroy(error);
    else answer(res, error.message.includes('ENOENT') ? 404 : 500, { error: error.message });
  });
});
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => announceReady((server.address() as AddressInfo).port));
const shutdown = () => server.close(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
