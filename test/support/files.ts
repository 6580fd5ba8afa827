import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import type { Response } from 'superagent';
import path from 'node:path';
import { Types } from 'mongoose';
import { AUDIT_CHECKPOINT_PREFIX } from '@strongroom/storage';
import { type Account, collection } from './accounts';
import type { TestApp } from './test-app';

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** PNG signature plus padding: recognisable by its magic number whatever the client claims. */
export const PNG_BYTES = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(120, 7),
]);

/** A supertest parser that keeps a binary body as one Buffer, whatever its content type. */
export function bytesParser(
  response: Response,
  done: (error: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The file's bytes as its owner (or anyone `account` may read it as) downloads them. */
export async function downloadContent(
  t: TestApp,
  account: Account,
  fileId: string,
): Promise<Buffer> {
  return (await downloadRange(t, account, fileId).expect(200)).body as Buffer;
}

/** GET of a file's content, optionally of a range, with the body as bytes whatever its type. */
export function downloadRange(t: TestApp, account: Account, fileId: string, range?: string) {
  const request = t
    .http()
    .get(`/api/v1/files/${fileId}/content`)
    .set('Authorization', account.bearer);
  if (range) request.set('Range', range);
  return request.buffer(true).parse(bytesParser);
}

export function upload(t: TestApp, account: Account, data: Buffer, filename = 'data.bin') {
  return t
    .http()
    .post('/api/v1/files')
    .set('Authorization', account.bearer)
    .attach('file', data, { filename, contentType: 'text/plain' });
}

export interface CreatedLink {
  id: string;
  token: string;
  url: string;
}

/** Creates a share link on the owner's file (201 expected) and returns it with its token. */
export async function createLink(
  t: TestApp,
  owner: Account,
  fileId: string,
  body: Record<string, unknown> = {},
): Promise<CreatedLink> {
  const res = await t
    .http()
    .post(`/api/v1/files/${fileId}/links`)
    .set('Authorization', owner.bearer)
    .send(body)
    .expect(201);
  return res.body as CreatedLink;
}

/**
 * Every blob (and temp file) under the local driver's root, health probes and signed audit
 * checkpoints aside: any audited action may fall on a checkpoint and write one.
 */
export async function storedBlobs(t: TestApp): Promise<string[]> {
  const root = t.config.storage.local.path;
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith('.health') && !file.startsWith(AUDIT_CHECKPOINT_PREFIX));
}

/**
 * Flips one bit of a file's blob on the local driver, at `offset(storedSize)`: damage that its
 * chunk's authentication tag will catch.
 */
export async function damageStoredBlob(
  t: TestApp,
  fileId: string,
  offset: (storedSize: number) => number,
): Promise<void> {
  const record = await collection(t, 'files').findOne({ _id: new Types.ObjectId(fileId) });
  if (!record) throw new Error(`no file record ${fileId}`);
  const blob = path.join(t.config.storage.local.path, ...(record.storageKey as string).split('/'));
  const stored = await readFile(blob);
  stored[offset(stored.length)] ^= 0x01;
  await writeFile(blob, stored);
}
