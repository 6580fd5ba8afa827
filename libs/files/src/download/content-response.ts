import { create as contentDisposition } from 'content-disposition';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ByteRange, chunksHandedOver } from '@strongroom/storage';
import { clientWentAway } from '@strongroom/common';
import { releasingAfterSend } from './release-after-send';

export interface DownloadableFile {
  name: string;
  size: number;
  contentType: string;
  sha256?: string;
}

export type OpenContent = (range?: ByteRange) => Promise<Readable>;

export type RangeDecision =
  { kind: 'whole' } | { kind: 'partial'; range: ByteRange } | { kind: 'unsatisfiable' };

/**
 * One `Range` is served as 206; several are answered with the whole file (200), which RFC 9110
 * allows and which keeps every response a plain stream. `If-Range` that does not match our
 * representation, a header in another unit, or a syntactically invalid one is ignored; a valid
 * one that cannot be satisfied is 416.
 */
function decideRange(req: Request, file: DownloadableFile): RangeDecision {
  const header = req.headers.range;
  if (!header || !ifRangeMatches(req, etagOf(file))) return { kind: 'whole' };
  return parseRangeHeader(header, file.size);
}

/**
 * An `If-Range` entity tag must equal our strong ETag. A date would be compared with
 * Last-Modified, which we do not send, so a date never matches and the whole file goes out.
 */
function ifRangeMatches(req: Request, etag: string | undefined): boolean {
  const condition = req.get('if-range');
  if (condition === undefined) return true;
  return etag !== undefined && condition.trim() === etag;
}

const RANGE_SPEC = /^(\d*)-(\d*)$/;

/**
 * RFC 9110 §14.1.2. Written here rather than taken from range-parser (behind express's req.range),
 * which answers an invalid spec (`5-1`) and a suffix longer than the file with "unsatisfiable";
 * the RFC says to ignore the first and to serve the whole file for the second.
 */
export function parseRangeHeader(header: string, size: number): RangeDecision {
  const separator = header.indexOf('=');
  if (separator < 0 || header.slice(0, separator).trim().toLowerCase() !== 'bytes') {
    return { kind: 'whole' };
  }
  const specs = header
    .slice(separator + 1)
    .split(',')
    .map((spec) => spec.trim())
    .filter(Boolean);
  const satisfiable: ByteRange[] = [];
  for (const spec of specs) {
    const match = RANGE_SPEC.exec(spec);
    if (!match || (match[1] === '' && match[2] === '')) return { kind: 'whole' };
    const [, first, last] = match;
    if (first === '') {
      const suffix = Number(last);
      if (suffix > 0 && size > 0)
        satisfiable.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(first);
    const end = last === '' ? Infinity : Number(last);
    if (end < start) return { kind: 'whole' };
    if (start < size) satisfiable.push({ start, end: Math.min(end, size - 1) });
  }
  if (specs.length === 0) return { kind: 'whole' };
  if (satisfiable.length === 0) return { kind: 'unsatisfiable' };
  const merged = mergeRanges(satisfiable);
  return merged.length === 1 ? { kind: 'partial', range: merged[0] } : { kind: 'whole' };
}

/** Overlapping and adjacent ranges are one range. */
function mergeRanges(ranges: ByteRange[]): ByteRange[] {
  const merged: ByteRange[] = [];
  for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
    const previous = merged.at(-1);
    if (previous && range.start <= previous.end + 1)
      previous.end = Math.max(previous.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
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
  const decision: RangeDecision = options.ignoreRange ? { kind: 'whole' } : decideRange(req, file);
  if (decision.kind === 'unsatisfiable' && !matchesEtag(req, etagOf(file))) {
    res.setHeader('Content-Range', `bytes */${file.size}`);
    throw new HttpException(
      `The range is outside the file's ${file.size} bytes`,
      HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
    );
  }
  if (matchesEtag(req, etagOf(file))) {
    setFileHeaders(res, file, options);
    res.status(304).end();
    return false;
  }
  const range = decision.kind === 'partial' ? decision.range : undefined;
  const headOnly = options.headOnly || req.method === 'HEAD';
  // Opened before the file's headers are set, so a failure to open (storage or the key service
  // down, a damaged record) answers as a JSON error, not under the file's type and disposition.
  const body = headOnly ? undefined : await open(range);

  setFileHeaders(res, file, options);
  const length = range ? range.end - range.start + 1 : file.size;
  res.status(range ? 206 : 200);
  if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  res.setHeader('Content-Length', String(length));
  if (!body) {
    res.end();
    return false;
  }
  // The body's chunks are the file's plaintext, fresh from the decipher or the storage read:
  // freed once sent when that stream hands them over.
  const sending = pipeline(body, releasingAfterSend(res, chunksHandedOver(body)));
  const handed = countBytesHandedTo(res, body);
  try {
    await sending;
  } catch (error) {
    if (!clientWentAway(error)) throw error;
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
