/**
 * The benchmark's HTTP client: one fresh connection per transfer (no keep-alive agent), a
 * streamed multipart upload with a Content-Length, and a download that is consumed, counted and
 * (optionally) hashed. Times run from opening the request to having read the whole response.
 */
import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type { MultipartBody } from './multipart-body';

export interface UploadOutcome {
  seconds: number;
  status: number;
  /** The response body, parsed as JSON when it is. */
  body: unknown;
}

export interface DownloadOutcome {
  seconds: number;
  bytes: number;
  /** Hex SHA-256 of what arrived; undefined when not asked to hash. */
  sha256?: string;
}

async function readBody(res: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** POSTs the multipart body; resolves once the whole answer has arrived, whatever its status. */
export async function uploadMultipart(
  url: string,
  body: MultipartBody,
  headers: OutgoingHttpHeaders = {},
): Promise<UploadOutcome> {
  const start = performance.now();
  const req = http.request(url, {
    method: 'POST',
    agent: false,
    headers: {
      ...headers,
      'content-type': body.contentType,
      'content-length': body.contentLength,
    },
  });
  const responded = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  // A server may answer (413, 401) before it has read everything; the answer is what counts.
  const sent = pipeline(body.stream, req).then(
    () => undefined,
    (error: Error) => error,
  );
  const res = await responded;
  const parsed = await readBody(res);
  const seconds = (performance.now() - start) / 1000;
  const sendError = await sent;
  if (sendError && res.statusCode !== undefined && res.statusCode < 300) throw sendError;
  return { seconds, status: res.statusCode ?? 0, body: parsed };
}

/** GETs `url`, expecting 200 (206 for a range); counts (and hashes, with `hash`) every byte of the body. */
export async function download(
  url: string,
  headers: OutgoingHttpHeaders = {},
  hash = true,
  expected = 200,
): Promise<DownloadOutcome> {
  const start = performance.now();
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    http.get(url, { agent: false, headers }, resolve).once('error', reject);
  });
  if (res.statusCode !== expected) {
    const body = await readBody(res);
    throw new Error(`GET ${url} answered ${res.statusCode}: ${JSON.stringify(body)}`);
  }
  const digest = hash ? createHash('sha256') : undefined;
  let bytes = 0;
  for await (const chunk of res) {
    bytes += (chunk as Buffer).length;
    digest?.update(chunk as Buffer);
  }
  return {
    seconds: (performance.now() - start) / 1000,
    bytes,
    sha256: digest?.digest('hex'),
  };
}

/** A request without a body whose answer is expected to have `expected` status. */
export async function simpleRequest(
  method: string,
  url: string,
  expected: number,
  headers: OutgoingHttpHeaders = {},
): Promise<unknown> {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    http.request(url, { method, agent: false, headers }, resolve).once('error', reject).end();
  });
  const body = await readBody(res);
  if (res.statusCode !== expected) {
    throw new Error(`${method} ${url} answered ${res.statusCode}: ${JSON.stringify(body)}`);
  }
  return body;
}
