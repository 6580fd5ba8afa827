import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface WrittenFile {
  /** Lines written, one record each. */
  lines: number;
  sha256: string;
}

/**
 * Writes one line per record as the records arrive (a database cursor, never a whole array),
 * hashing what goes out; fsynced before it resolves.
 */
export async function writeNdjson(
  file: string,
  records: AsyncIterable<unknown>,
  encode: (record: unknown) => string,
): Promise<WrittenFile> {
  const hash = createHash('sha256');
  let lines = 0;
  async function* encoded() {
    for await (const record of records) {
      const line = `${encode(record)}\n`;
      hash.update(line);
      lines += 1;
      yield line;
    }
  }
  await pipeline(
    Readable.from(encoded()),
    createWriteStream(file, { flags: 'wx', mode: 0o600, flush: true }),
  );
  return { lines, sha256: hash.digest('hex') };
}

/** The file's lines, read as a stream; a missing final newline still yields the last line. */
export async function* readLines(file: string): AsyncIterable<string> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line !== '') yield line;
  }
}

export interface MeasuredFile {
  size: number;
  sha256: string;
  /** Newline characters: the records of an NDJSON file, every one of which ends in one. */
  lines: number;
}

const NEWLINE = 0x0a;

/** Size, SHA-256 and line count of a file, read as a stream. */
export async function measureFile(file: string): Promise<MeasuredFile> {
  const hash = createHash('sha256');
  let size = 0;
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1))
      lines += 1;
  }
  return { size, sha256: hash.digest('hex'), lines };
}

/** Lines in groups of `size`, so inserts go out in batches without holding the whole file. */
export async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
