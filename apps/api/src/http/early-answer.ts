import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long a connection refused mid-body keeps reading (and dropping) what its client sends. */
export const REFUSED_BODY_LINGER_MS = 2_000;

/**
 * Lets a route answer before the request body, and the client hear it:
 *
 * - Node answers `Expect: 100-continue` with 100 Continue before any handler runs, which tells a
 *   client to send a body that the route may refuse unread (401, or an upload over MAX_FILE_SIZE
 *   or the quota). Here the 100 goes out when something starts reading the body, so a refusal
 *   comes first and the client sends nothing. A request answered without reading its body closes
 *   its connection, since the body the client holds back would otherwise be the next request.
 * - A connection closed after an answer that did not read the body (`Connection: close`, set by
 *   the route) is not dropped at once: a client still sending would get a reset, and lose the
 *   answer with it. It is half-closed, and what still arrives is read and dropped for a short
 *   while, instead of the whole body being drained before the answer.
 */
export function answerBeforeTheBody(server: Server): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const keepAlive = res.shouldKeepAlive;
    res.shouldKeepAlive = false;
    const read = req._read.bind(req);
    let continued = false;
    req._read = (size: number) => {
      if (!continued && !res.headersSent) {
        continued = true;
        res.shouldKeepAlive = keepAlive;
        res.writeContinue();
      }
      read(size);
    };
    server.emit('request', req, res);
  });
  // One wrapper per connection, reading the request it serves now: wrapping it anew on each
  // request would chain one closure (holding that request) per request on a kept-alive socket.
  const serving = new WeakMap<Socket, IncomingMessage>();
  server.on('connection', (socket: Socket) => {
    const destroySoon = socket.destroySoon.bind(socket);
    socket.destroySoon = () => {
      if (serving.get(socket)?.complete !== false) return destroySoon();
      socket.end();
      const linger = setTimeout(() => socket.destroy(), REFUSED_BODY_LINGER_MS);
      linger.unref();
      socket.once('close', () => clearTimeout(linger));
    };
  });
  server.on('request', (req: IncomingMessage) => serving.set(req.socket, req));
}
