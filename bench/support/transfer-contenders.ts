/**
 * The transfers the transfer benchmarks time, against our server and the bare Node baseline,
 * through curl (bench/support/curl-transfer.ts). Every one checks what came back: an upload's
 * size and SHA-256 as the server reports them, a download's status and size as curl counted
 * them; `verifyDownload` then hashes a download untimed, with a Node client.
 */
import path from 'node:path';
import { curlDownload, curlUpload, writePatternFile } from './curl-transfer';
import { download, simpleRequest } from './http-transfer';
import type { OurServer, Served } from './our-server';
import { patternSha256 } from './pattern-stream';
import { fail, MIB } from './transfer-measure';

/** Upload data on the client's disk: `size` bytes of pattern `streamId`, and their SHA-256. */
export interface PatternFile {
  path: string;
  size: number;
  streamId: number;
  sha256: string;
}

/** Makes (once) the files the client uploads, in `dir`. */
export async function patternFile(
  dir: string,
  size: number,
  streamId: number,
): Promise<PatternFile> {
  const file = path.join(dir, `pattern-${streamId}-${size / MIB}MiB.bin`);
  await writePatternFile(file, size, streamId);
  return { path: file, size, streamId, sha256: patternSha256(size, streamId) };
}

export interface StoredOnOurs {
  id: string;
}

function checkStored(
  label: string,
  reported: { size?: number; sha256?: string },
  file: PatternFile,
): void {
  if (reported.size !== file.size || reported.sha256 !== file.sha256) {
    fail(
      `${label} stored ${reported.size} bytes with sha256 ${reported.sha256}, expected ${file.size} / ${file.sha256}`,
    );
  }
}

export async function uploadToOurs(
  server: OurServer,
  file: PatternFile,
): Promise<{ seconds: number; stored: StoredOnOurs }> {
  const out = await curlUpload(
    `${server.baseUrl}/api/v1/files`,
    file.path,
    `bench-${file.streamId}.bin`,
    { Authorization: server.authorization },
  );
  const body = out.body as { id?: string; size?: number; sha256?: string };
  if (out.status !== 201 || !body.id) {
    fail(`upload to ${server.label} answered ${out.status}: ${JSON.stringify(out.body)}`);
  }
  checkStored(server.label, body, file);
  return { seconds: out.seconds, stored: { id: body.id } };
}

export async function uploadToBare(
  server: Served,
  file: PatternFile,
): Promise<{ seconds: number; name: string }> {
  const out = await curlUpload(`${server.baseUrl}/upload`, file.path, `bench-${file.streamId}.bin`);
  const body = out.body as { name?: string; size?: number; sha256?: string };
  if (out.status !== 201 || !body.name) {
    fail(`upload to ${server.label} answered ${out.status}: ${JSON.stringify(out.body)}`);
  }
  checkStored(server.label, body, file);
  return { seconds: out.seconds, name: body.name };
}

export const ourContentUrl = (server: OurServer, stored: StoredOnOurs): string =>
  `${server.baseUrl}/api/v1/files/${stored.id}/content`;

export const bareContentUrl = (server: Served, name: string): string =>
  `${server.baseUrl}/files/${name}`;

/** A timed download into /dev/null: its seconds, after checking status and size. */
export async function timedDownload(
  label: string,
  url: string,
  size: number,
  authorization?: string,
): Promise<number> {
  const out = await curlDownload(url, authorization ? { Authorization: authorization } : {});
  if (out.bytesDown !== size)
    fail(`download from ${label} gave ${out.bytesDown} bytes, expected ${size}`);
  return out.seconds;
}

/** Downloads again, untimed, and checks every byte's SHA-256 against the generator's. */
export async function verifyDownload(
  label: string,
  url: string,
  file: PatternFile,
  authorization?: string,
): Promise<void> {
  const out = await download(url, authorization ? { authorization } : {});
  if (out.bytes !== file.size || out.sha256 !== file.sha256) {
    fail(
      `download from ${label} gave ${out.bytes} bytes with sha256 ${out.sha256}, expected ${file.size} / ${file.sha256}`,
    );
  }
}

export function deleteFromOurs(server: OurServer, stored: StoredOnOurs): Promise<unknown> {
  return simpleRequest('DELETE', `${server.baseUrl}/api/v1/files/${stored.id}`, 204, {
    authorization: server.authorization,
  });
}

export function deleteFromBare(server: Served, name: string): Promise<unknown> {
  return simpleRequest('DELETE', bareContentUrl(server, name), 204);
}

/** The bare Node server (bench/support/bare-server.ts), serving and storing into `serveDir`. */
export { startBareServer } from './bare-server-process';
