import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { sendFileContent } from './content-response';

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

async function serve(body: (res: Response) => Readable): Promise<Served> {
  const app = new ExpressAdapter().getInstance<Express>();
  let settle!: (value: Promise<boolean>) => void;
  const outcome = new Promise<boolean>((resolve) => (settle = resolve));
  app.get('/file', (req: Request, res: Response) => {
    settle(sendFileContent(req, res, FILE, () => Promise.resolve(body(res))));
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
