/** The Strongroom calls the ZIP benchmark and the bundle memory test make: files, a bundle, a link. */
import { createWriteStream } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { uploadMultipart } from './http-transfer';
import { multipartFileBody } from './multipart-body';
import { PatternStream } from './pattern-stream';

async function postJson(url: string, authorization: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as unknown;
  if (response.status !== 201) {
    throw new Error(`POST ${url} answered ${response.status}: ${JSON.stringify(json)}`);
  }
  return json;
}

/** Uploads `size` bytes of pattern `streamId` (see patternSha256) as `name`; returns the file id. */
export async function uploadPatternFile(
  baseUrl: string,
  authorization: string,
  size: number,
  streamId: number,
  name: string,
): Promise<string> {
  const body = multipartFileBody('file', name, new PatternStream(size, streamId), size);
  const outcome = await uploadMultipart(`${baseUrl}/api/v1/files`, body, { authorization });
  if (outcome.status !== 201) {
    throw new Error(`upload answered ${outcome.status}: ${JSON.stringify(outcome.body)}`);
  }
  return (outcome.body as { id: string }).id;
}

/** A bundle of the files, in order, and a public link to it; returns the link's token. */
export async function createBundleLink(
  baseUrl: string,
  authorization: string,
  name: string,
  fileIds: string[],
): Promise<string> {
  const bundle = (await postJson(`${baseUrl}/api/v1/bundles`, authorization, {
    name,
    fileIds,
  })) as { id: string };
  const link = (await postJson(`${baseUrl}/api/v1/bundles/${bundle.id}/links`, authorization, {
    maxDownloads: 1000,
  })) as { token: string };
  return link.token;
}

/** GETs `url` (expecting 200) into `file`, with backpressure; the time and bytes it took. */
export async function downloadToFile(
  url: string,
  file: string,
): Promise<{ seconds: number; bytes: number }> {
  const start = performance.now();
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    http.get(url, { agent: false }, resolve).once('error', reject);
  });
  if (res.statusCode !== 200) {
    res.resume();
    throw new Error(`GET ${url} answered ${res.statusCode}`);
  }
  let bytes = 0;
  res.on('data', (chunk: Buffer) => (bytes += chunk.length));
  await pipeline(res, createWriteStream(file));
  return { seconds: (performance.now() - start) / 1000, bytes };
}
