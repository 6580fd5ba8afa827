import net from 'node:net';
import { ClamdClient } from './clamd.client';
import { ClamdError } from './clamd-reply';

/** A TCP peer scripted per test: it stands in for clamd misbehaving in ways a real one rarely does. */
async function peer(onConnection: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const client = (port: number, scanTimeoutMs = 300) =>
  new ClamdClient({ host: '127.0.0.1', port, connectTimeoutMs: 300, scanTimeoutMs });

describe('ClamdClient', () => {
  it('fails at once, as a ClamdError, when nothing listens', async () => {
    const unused = await peer(() => undefined);
    await unused.close();
    await expect(client(unused.port).instream()).rejects.toThrow(/cannot reach clamd/);
  });

  it('frames chunks as INSTREAM and reads the verdict', async () => {
    let received = Buffer.alloc(0);
    const clamd = await peer((socket) =>
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.subarray(-4).equals(Buffer.alloc(4))) socket.end('stream: OK\0');
      }),
    );
    try {
      const scan = await client(clamd.port).instream();
      await scan.write(Buffer.from('abc'));
      await expect(scan.finish()).resolves.toEqual({ infected: false });
      expect(received).toEqual(
        Buffer.concat([
          Buffer.from('zINSTREAM\0'),
          Buffer.from([0, 0, 0, 3]),
          Buffer.from('abc'),
          Buffer.alloc(4),
        ]),
      );
    } finally {
      await clamd.close();
    }
  });

  it('gives up on a clamd that never answers after the last byte', async () => {
    const clamd = await peer((socket) => socket.resume());
    try {
      const scan = await client(clamd.port).instream();
      await scan.write(Buffer.from('abc'));
      const started = Date.now();
      await expect(scan.finish()).rejects.toThrow(/did not respond within 300 ms/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await clamd.close();
    }
  });

  it('holds writes back while clamd does not read, and gives up after the timeout', async () => {
    const clamd = await peer((socket) => socket.pause());
    try {
      const scan = await client(clamd.port).instream();
      const chunk = Buffer.alloc(1 << 20);
      let accepted = 0;
      const writing = (async () => {
        for (;;) {
          await scan.write(chunk);
          accepted += chunk.length;
        }
      })();
      await expect(writing).rejects.toThrow(ClamdError);
      // Only what the kernel's socket buffers take is ever handed over: no pile-up in memory.
      expect(accepted).toBeLessThan(64 << 20);
    } finally {
      await clamd.close();
    }
  });

  it('reports a mid-stream refusal as clamd said it', async () => {
    const clamd = await peer((socket) =>
      socket.once('data', () => socket.end('INSTREAM size limit exceeded. ERROR\0')),
    );
    try {
      const scan = await client(clamd.port, 5_000).instream();
      const chunk = Buffer.alloc(1 << 20);
      const writing = (async () => {
        for (;;) await scan.write(chunk);
      })();
      await expect(writing).rejects.toThrow(/StreamMaxLength/);
    } finally {
      await clamd.close();
    }
  });

  it('names the likely cause when clamd hangs up mid-stream without a reply', async () => {
    const clamd = await peer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    try {
      const scan = await client(clamd.port, 5_000).instream();
      const chunk = Buffer.alloc(1 << 20);
      const writing = (async () => {
        for (;;) await scan.write(chunk);
      })();
      await expect(writing).rejects.toThrow(/hung up mid-stream.*StreamMaxLength/);
    } finally {
      await clamd.close();
    }
  });

  it('answers PING', async () => {
    const clamd = await peer((socket) => socket.once('data', () => socket.end('PONG\0')));
    try {
      await expect(client(clamd.port).ping()).resolves.toBeUndefined();
    } finally {
      await clamd.close();
    }
  });
});
