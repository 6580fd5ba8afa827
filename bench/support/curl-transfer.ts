/**
 * The transfer benchmarks' client: curl, one process per transfer. A Node `http.request` loop
 * that also generates and hashes the bytes tops out near 400 MB/s on the benchmark machine, below
 * what nginx and even a bare Node server deliver, so every ratio it measured was squeezed towards
 * 1; curl moves several GB/s on loopback. Uploads send a file from disk (page cache after the
 * first read) as one multipart part, downloads go to /dev/null. Times are curl's own
 * (`%{time_total}`: from opening the connection to the last byte of the answer), so starting a
 * process is not counted. Each transfer uses a fresh connection.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { PatternStream } from './pattern-stream';

export const CURL_BINARY = 'curl';

/** Separates the answer's body from curl's `--write-out` report on stdout. */
const REPORT_MARK = '\n@@curl-report@@';
const REPORT = `${REPORT_MARK}%{http_code} %{time_total} %{size_download}`;

export interface CurlOutcome {
  status: number;
  seconds: number;
  /** Bytes of the answer's body. */
  bytesDown: number;
  /** The body of the answer (empty for downloads, which go to /dev/null), parsed as JSON when it is. */
  body: unknown;
}

function runCurl(args: readonly string[]): Promise<CurlOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(CURL_BINARY, ['-sS', '--no-keepalive', '-w', REPORT, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const text = Buffer.concat(out).toString('utf8');
      const at = text.lastIndexOf(REPORT_MARK);
      if (code !== 0 || at < 0) {
        reject(new Error(`curl ${args.at(-1)} failed (exit ${code}): ${err.trim() || text}`));
        return;
      }
      const [status, seconds, bytesDown] = text
        .slice(at + REPORT_MARK.length)
        .trim()
        .split(' ')
        .map(Number);
      const raw = text.slice(0, at);
      let body: unknown = raw;
      try {
        body = raw ? (JSON.parse(raw) as unknown) : raw;
      } catch {
        // not JSON: kept as text
      }
      resolve({ status, seconds, bytesDown, body });
    });
  });
}

function headerArgs(headers: Record<string, string>): string[] {
  return Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
}

/**
 * POSTs `file` as the one part `field` of a multipart/form-data body (with a Content-Length, as a
 * browser sends it); resolves with the answer whatever its status. No `Expect: 100-continue`, so
 * no server pays a round trip the other does not.
 */
export function curlUpload(
  url: string,
  file: string,
  fileName: string,
  headers: Record<string, string> = {},
  field = 'file',
): Promise<CurlOutcome> {
  return runCurl([
    ...headerArgs({ ...headers, Expect: '' }),
    '-F',
    `${field}=@${file};type=application/octet-stream;filename=${fileName}`,
    url,
  ]);
}

/** GETs `url` into /dev/null; fails unless answered `expected`. */
export async function curlDownload(
  url: string,
  headers: Record<string, string> = {},
  expected = 200,
): Promise<CurlOutcome> {
  const outcome = await runCurl([...headerArgs(headers), '-o', '/dev/null', url]);
  if (outcome.status !== expected) {
    throw new Error(`GET ${url} answered ${outcome.status}, expected ${expected}`);
  }
  return outcome;
}

/** Writes `size` bytes of pattern `streamId` (see PatternStream) to `file`, unless already there. */
export async function writePatternFile(
  file: string,
  size: number,
  streamId: number,
): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  if (existing?.size === size) return;
  await pipeline(new PatternStream(size, streamId), createWriteStream(file));
}

/** Fails early, with what to install, when curl is missing. */
export async function assertCurlAvailable(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(CURL_BINARY, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', () =>
      reject(new Error('curl is not installed: the benchmark client; apt-get install -y curl')),
    );
    child.once('close', () => resolve(out.split('\n')[0]?.split(' ').slice(0, 2).join(' ') ?? ''));
  });
}
