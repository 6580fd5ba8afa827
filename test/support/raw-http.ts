import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { TestApp } from './test-app';

/** Where the app listens, starting it on a free port first if a test needs a real socket. */
export async function listeningPort(t: TestApp): Promise<number> {
  const server = t.app.getHttpServer();
  if (!server.listening) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  return (server.address() as AddressInfo).port;
}

export interface TrickleResult {
  /** Everything the server sent back. */
  response: string;
  /** How many body bytes went out before the server answered or closed. */
  sent: number;
  /** Whether the server closed the connection (rather than the test giving up). */
  closedByServer: boolean;
}

/**
 * Sends `head` (request line and headers) at once, then `body` one chunk every `intervalMs`, the
 * way a slow or hostile client does, until the body is out, the server closes, or `giveUpMs`.
 */
export async function trickle(
  t: TestApp,
  head: string,
  body: Buffer[],
  options: { intervalMs: number; giveUpMs: number },
): Promise<TrickleResult> {
  const socket = net.connect(await listeningPort(t), '127.0.0.1');
  const received: Buffer[] = [];
  let sent = 0;
  let closedByServer = false;
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => undefined);
  socket.write(head);
  const ticker = setInterval(() => {
    const chunk = body[sent];
    if (chunk === undefined || socket.destroyed) return;
    sent += 1;
    socket.write(chunk);
  }, options.intervalMs);
  await new Promise<void>((resolve) => {
    const giveUp = setTimeout(resolve, options.giveUpMs);
    socket.once('close', () => {
      closedByServer = true;
      clearTimeout(giveUp);
      resolve();
    });
    socket.once('end', () => {
      closedByServer = true;
    });
  });
  clearInterval(ticker);
  socket.destroy();
  return { response: Buffer.concat(received).toString('utf8'), sent, closedByServer };
}

export interface RawDownload {
  status: number;
  contentLength: number;
  received: Buffer;
  /** The server cut the connection before the body was complete. */
  aborted: boolean;
}

/** A plain GET over a real socket, to see exactly what arrives before a connection is cut. */
export async function rawGet(
  t: TestApp,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawDownload> {
  const port = await listeningPort(t);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const finish = (aborted: boolean) =>
        resolve({
          status: res.statusCode ?? 0,
          contentLength: Number(res.headers['content-length']),
          received: Buffer.concat(chunks),
          aborted,
        });
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish(false));
      res.on('aborted', () => finish(true));
      res.on('error', () => finish(true));
    });
    req.on('error', reject);
  });
}
