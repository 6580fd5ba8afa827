import { create as contentDisposition } from 'content-disposition';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange } from '@strongroom/storage';

export interface DownloadableFile {
  name: string;
  size: number;
  contentType: string;
  sha256?: string;
}

export type OpenContent = (range?: ByteRange) => Promise<Readable>;

type RangeDecision =
  { kind: 'whole' } | { kind: 'partial'; range: ByteRange } | { kind: 'unsatisfiable' };

/**
 * One `Range` is served as 206; several are answered with the whole file (200), which RFC 9110
 * allows and which keeps every response a plain stream. A malformed header is ignored, as the RFC
 * says; a well-formed one that cannot be satisfied is 416.
 */
function decideRange(req: Request, size: number): RangeDecision {
  if (!req.headers.range) return { kind: 'whole' };
  const parsed = req.range(size, { combine: true });
  if (parsed === -2 || parsed === undefined) return { kind: 'whole' };
  if (parsed === -1 || size === 0) return { kind: 'unsatisfiable' };
  if (parsed.type !== 'bytes' || parsed.length !== 1) return { kind: 'whole' };
  return { kind: 'partial', range: { start: parsed[0].start, end: parsed[0].end } };
}

function etagOf(file: DownloadableFile): string | undefined {
  return file.sha256 ? `"${file.sha256}"` : undefined;
}

function matchesEtag(req: Request, etag: string | undefined): boolean {
  const header = req.headers['if-none-match'];
  if (!etag || !header) return false;
  return (
    header.trim() === '*' ||
    header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
  );
}

/** Headers that make a download safe: never rendered inline, never sniffed, never shared-cached. */
function setFileHeaders(
  res: Response,
  file: DownloadableFile,
  options: Pick<SendOptions, 'cacheControl' | 'ignoreRange'>,
): void {
  const etag = etagOf(file);
  if (etag) res.setHeader('ETag', etag);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', contentDisposition(file.name, { type: 'attachment' }));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
  res.setHeader('Cache-Control', options.cacheControl ?? 'private, no-cache');
  // `none` tells download managers not to try: a Range would be answered with the whole file.
  res.setHeader('Accept-Ranges', options.ignoreRange ? 'none' : 'bytes');
}

export interface SendOptions {
  /** HEAD: the same headers, no body and no storage read. */
  headOnly?: boolean;
  /** Public links serve whole files only, so one download is one request. */
  ignoreRange?: boolean;
  cacheControl?: string;
  /** Called once the whole body has been handed to the socket. */
  onComplete?: (bytes: number) => void;
}

/**
 * Answers a file download: conditional request, range, headers, then the bytes, streamed.
 * Resolves true when a body was sent in full, false when there was none to send or the client left.
 */
export async function sendFileContent(
  req: Request,
  res: Response,
  file: DownloadableFile,
  open: OpenContent,
  options: SendOptions = {},
): Promise<boolean> {
  const decision: RangeDecision = options.ignoreRange
    ? { kind: 'whole' }
    : decideRange(req, file.size);
  if (decision.kind === 'unsatisfiable' && !matchesEtag(req, etagOf(file))) {
    res.setHeader('Content-Range', `bytes */${file.size}`);
    throw new HttpException(
      `The range is outside the file's ${file.size} bytes`,
      HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
    );
  }
  setFileHeaders(res, file, options);
  if (matchesEtag(req, etagOf(file))) {
    res.status(304).end();
    return false;
  }
  const range = decision.kind === 'partial' ? decision.range : undefined;

  const length = range ? range.end - range.start + 1 : file.size;
  res.status(range ? 206 : 200);
  if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  res.setHeader('Content-Length', String(length));
  if (options.headOnly || req.method === 'HEAD') {
    res.end();
    return false;
  }
  const body = await open(range);
  const sending = pipeline(body, res);
  const handed = countBytesHandedTo(res, body);
  try {
    await sending;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    // The client went away: nothing to answer, and nothing went wrong on our side. Having read
    // all the bytes it was promised, it often does so before the body's storage stream has even
    // ended (a file stream learns of EOF on a later read), so that still counts as a download.
    if (handed() !== length) return false;
  }
  options.onComplete?.(length);
  return true;
}

/**
 * How many of the body's bytes were written into the live response. The pipe writes each chunk
 * to the response within the same 'data' emit, and `destroyed` cannot change in between, so a
 * chunk counts exactly when it was handed on while the connection was still there.
 */
function countBytesHandedTo(res: Response, body: Readable): () => number {
  let bytes = 0;
  body.on('data', (chunk: Buffer | string) => {
    if (!res.destroyed) bytes += Buffer.byteLength(chunk);
  });
  return () => bytes;
}
