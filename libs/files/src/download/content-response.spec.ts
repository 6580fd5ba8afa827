import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { parseRangeHeader, sendFileContent, type DownloadableFile } from './content-response';

const FILE = { name: 'six.txt', size: 6, contentType: 'text/plain' };

/**
 * A body whose bytes come at once but whose end waits for the response to close: a file stream
 * learns of EOF only on a later read, and a client holding all its bytes may hang up first.
 */
function bodyEndingAfterClose(res: Response, bytes: string): Readable {
  const body = new Readable({ read: () => undefined });
  body.push(bytes);
  res.once('close', () => setImmediate(() => body.push(null)));
  return body;
}

interface Served {
  url: string;
  outcome: Promise<boolean>;
  close(): Promise<void>;
}

async function serve(
  body: (res: Response) => Readable,
  file: DownloadableFile = FILE,
): Promise<Served> {
  const app = new ExpressAdapter().getInstance<Express>();
  let settle!: (value: Promise<boolean>) => void;
  const outcome = new Promise<boolean>((resolve) => (settle = resolve));
  app.get('/file', (req: Request, res: Response) => {
    settle(sendFileContent(req, res, file, () => Promise.resolve(body(res))));
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`,
    outcome,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Reads until `wanted` bytes arrived, then hangs up without waiting for anything else. */
function downloadAndHangUp(url: string, wanted: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      let received = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        received += chunk;
        if (received.length >= wanted) {
          request.destroy();
          resolve(received);
        }
      });
    });
    request.on('error', (error) => {
      if (!request.destroyed) reject(error);
    });
  });
}

describe('sendFileContent', () => {
  let served: Served | undefined;
  afterEach(() => served?.close());

  it('counts a download whose client hung up after the last byte, before the body ended', async () => {
    served = await serve((res) => bodyEndingAfterClose(res, 'ledger'));
    expect(await downloadAndHangUp(served.url, 6)).toBe('ledger');
    await expect(served.outcome).resolves.toBe(true);
  });

  it('does not count a download whose client hung up before the last byte', async () => {
    served = await serve((res) => bodyEndingAfterClose(res, 'led'));
    expect(await downloadAndHangUp(served.url, 3)).toBe('led');
    await expect(served.outcome).resolves.toBe(false);
  });

  it('counts a download that finished normally', async () => {
    served = await serve(() => Readable.from([Buffer.from('led'), Buffer.from('ger')]));
    const response = await fetch(served.url);
    expect(await response.text()).toBe('ledger');
    await expect(served.outcome).resolves.toBe(true);
  });
});

describe('parseRangeHeader (RFC 9110 §14.1.2)', () => {
  it.each<[string, number, number]>([
    ['bytes=0-9', 0, 9],
    ['bytes=990-', 990, 999],
    ['bytes=-5', 995, 999],
    ['bytes=900-5000', 900, 999],
    ['bytes=-1000', 0, 999],
    ['bytes=-5000', 0, 999],
    ['bytes=0-5, 3-9', 0, 9],
    ['bytes=0-4,5-9', 0, 9],
    ['Bytes = 1-2', 1, 2],
    ['bytes=1-2,1500-', 1, 2],
  ])('%s is the one range %i-%i', (header, start, end) => {
    expect(parseRangeHeader(header, 1000)).toEqual({ kind: 'partial', range: { start, end } });
  });

  it.each([
    'bytes=5-1',
    'bytes=0-1,9-3',
    'bytes=abc',
    'bytes=-',
    'bytes=',
    'pages=1-2',
    'bytes 1-2',
    'bytes=0-1,5-6',
  ])('%s is ignored: the whole file', (header) => {
    expect(parseRangeHeader(header, 1000)).toEqual({ kind: 'whole' });
  });

  it.each(['bytes=1000-', 'bytes=-0', 'bytes=2000-3000', 'bytes=1000-,-0'])(
    '%s cannot be satisfied',
    (header) => {
      expect(parseRangeHeader(header, 1000)).toEqual({ kind: 'unsatisfiable' });
    },
  );

  it('nothing in an empty file can be satisfied', () => {
    expect(parseRangeHeader('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRangeHeader('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('sendFileContent with If-Range', () => {
  const tagged = { ...FILE, sha256: 'ab'.repeat(32) };
  const etag = `"${tagged.sha256}"`;
  let served: Served | undefined;
  afterEach(() => served?.close());

  it.each<[string, number]>([
    [etag, 206],
    [`W/${etag}`, 200],
    [`"${'cd'.repeat(32)}"`, 200],
    ['Sun, 06 Dec 2026 15:00:00 GMT', 200],
  ])('If-Range %s → %i', async (condition, status) => {
    served = await serve(() => Readable.from([Buffer.from('ledger')]), tagged);
    const response = await fetch(served.url, {
      headers: { Range: 'bytes=0-1', 'If-Range': condition },
    });
    expect(response.status).toBe(status);
    await response.arrayBuffer();
  });

  it('a range beyond the file under a non-matching If-Range is the whole file, not 416', async () => {
    served = await serve(() => Readable.from([Buffer.from('ledger')]), tagged);
    const response = await fetch(served.url, {
      headers: { Range: 'bytes=100-', 'If-Range': '"other"' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ledger');
  });
});
