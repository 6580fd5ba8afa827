import { createServer, get, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { releasingAfterSend } from './release-after-send';

const PIECE = 64 * 1024;

function pieces(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.alloc(PIECE, i));
}

/** A server whose one route sends the body through `send`; resolves with how the pipe ended. */
async function serve(body: () => Readable, sent: (outcome: Promise<void>) => void, release = true) {
  const server: Server = createServer((_req, res: ServerResponse) => {
    res.setHeader('Content-Length', String(40 * PIECE));
    sent(pipeline(body(), releasingAfterSend(res, release)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe('releasingAfterSend', () => {
  it.each([
    ['frees each chunk once the socket has written it', true],
    ['leaves every chunk as it was when told not to free them', false],
  ])('sends the whole body and %s', async (_case, release) => {
    const chunks = pieces(40);
    let outcome!: Promise<void>;
    const { server, url } = await serve(
      () => Readable.from(chunks),
      (sent) => {
        outcome = sent;
      },
      release,
    );
    try {
      const received = await new Promise<Buffer>((resolve, reject) => {
        get(url, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (part: Buffer) => parts.push(part));
          res.on('end', () => resolve(Buffer.concat(parts)));
          res.on('error', reject);
        }).on('error', reject);
      });
      await outcome;
      expect(received.equals(Buffer.concat(pieces(40)))).toBe(true);
      expect(chunks.every((chunk) => chunk.length === (release ? 0 : PIECE))).toBe(true);
    } finally {
      server.close();
    }
  });

  it('fails with a premature close when the client goes away, as piping into the response does', async () => {
    let outcome!: Promise<void>;
    const { server, url } = await serve(
      () =>
        Readable.from(
          (async function* () {
            for (const chunk of pieces(40)) {
              yield chunk;
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          })(),
        ),
      (sent) => {
        outcome = sent;
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const request = get(url, (res) => {
          res.once('data', () => {
            request.destroy();
            resolve();
          });
        }).on('error', () => undefined);
        request.on('error', reject);
      });
      await expect(outcome).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    } finally {
      server.close();
    }
  });
});
