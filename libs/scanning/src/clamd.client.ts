import { once } from 'node:events';
import net from 'node:net';
import { ClamdError, type ClamdVerdict, parseScanReply } from './clamd-reply';

export interface ClamdEndpoint {
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** How long clamd may go without taking bytes or, once they are all sent, without answering. */
  scanTimeoutMs: number;
}

/** A well-behaved clamd answers in a few dozen bytes; anything longer is not clamd. */
const MAX_REPLY_BYTES = 4096;
const END_OF_STREAM = Buffer.alloc(4);

/**
 * clamd cuts a stream over its StreamMaxLength by closing the connection, and since our bytes are
 * still arriving the close turns into a reset that usually loses its reply; so the hang-up itself
 * names that cause, for the operator reading the log.
 */
function hungUp(socketError?: Error): ClamdError {
  const detail = socketError ? ` (${socketError.message})` : '';
  return new ClamdError(
    `clamd hung up mid-stream without a verdict${detail}; one cause is a stream longer than its StreamMaxLength, which must be at least MAX_FILE_SIZE`,
    { cause: socketError },
  );
}

/**
 * Speaks clamd's TCP protocol: one command per connection, `z`-prefixed (NUL-terminated), and
 * clamd closes the connection after its reply.
 */
export class ClamdClient {
  constructor(private readonly endpoint: ClamdEndpoint) {}

  get address(): string {
    return `${this.endpoint.host}:${this.endpoint.port}`;
  }

  /** Resolves when clamd answers PING with PONG within the connect timeout. */
  async ping(): Promise<void> {
    const socket = await this.connect();
    try {
      socket.setTimeout(this.endpoint.connectTimeoutMs);
      const reply = readReply(socket, this.endpoint.connectTimeoutMs);
      socket.write('zPING\0');
      const text = await reply;
      if (text.replace(/\0+$/, '').trim() !== 'PONG') {
        throw new ClamdError(`clamd answered PING with ${JSON.stringify(text.slice(0, 80))}`);
      }
    } finally {
      socket.destroy();
    }
  }

  /** Opens an INSTREAM scan: connected and ready for bytes, or a ClamdError at once. */
  async instream(): Promise<ClamdInstream> {
    const socket = await this.connect();
    socket.write('zINSTREAM\0');
    return new ClamdInstream(socket, this.endpoint.scanTimeoutMs);
  }

  private connect(): Promise<net.Socket> {
    const { host, port, connectTimeoutMs } = this.endpoint;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const fail = (reason: string, cause?: unknown) => {
        socket.destroy();
        reject(new ClamdError(`cannot reach clamd at ${this.address}: ${reason}`, { cause }));
      };
      const onError = (error: Error) => fail(error.message, error);
      const onTimeout = () => fail(`no connection within ${connectTimeoutMs} ms`);
      socket.setTimeout(connectTimeoutMs);
      socket.once('error', onError);
      socket.once('timeout', onTimeout);
      socket.once('connect', () => {
        socket.off('error', onError);
        socket.off('timeout', onTimeout);
        socket.setTimeout(0);
        resolve(socket);
      });
    });
  }
}

/**
 * One file streamed to clamd as INSTREAM chunks (a 4-byte big-endian length, then the bytes).
 * `write` resolves once clamd's socket has taken the chunk, so a slow clamd slows the upload
 * instead of piling bytes up in memory.
 */
export class ClamdInstream {
  private readonly reply: Promise<string>;

  constructor(
    private readonly socket: net.Socket,
    private readonly timeoutMs: number,
  ) {
    this.reply = readReply(socket, timeoutMs);
    // Observed through write() and finish(); an abandoned scan must not be an unhandled rejection.
    this.reply.catch(() => undefined);
  }

  async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    try {
      if (this.socket.destroyed || this.socket.writableEnded) {
        throw hungUp();
      }
      const header = Buffer.alloc(4);
      header.writeUInt32BE(chunk.length);
      this.socket.cork();
      this.socket.write(header);
      const flushed = this.socket.write(chunk);
      this.socket.uncork();
      if (flushed) return;
      this.socket.setTimeout(this.timeoutMs);
      await Promise.race([once(this.socket, 'drain'), this.reply]);
      if (this.socket.readableEnded) throw new ClamdError('clamd answered mid-stream');
    } catch (error) {
      throw await this.explain(error);
    } finally {
      if (!this.socket.destroyed) this.socket.setTimeout(0);
    }
  }

  /** Sends the end of the stream and waits for the verdict. */
  async finish(): Promise<ClamdVerdict> {
    if (!this.socket.destroyed) {
      this.socket.setTimeout(this.timeoutMs);
      this.socket.write(END_OF_STREAM);
    }
    try {
      return parseScanReply(await this.reply);
    } finally {
      this.socket.destroy();
    }
  }

  /**
   * Why writing failed. clamd explains a refusal (a stream over StreamMaxLength) in a reply sent
   * before it hangs up, so that reply, when it arrived, is preferred to the EPIPE the next write
   * runs into.
   */
  private async explain(error: unknown): Promise<ClamdError> {
    this.socket.destroy();
    const reply = await this.reply.catch(() => undefined);
    if (reply !== undefined) {
      try {
        parseScanReply(reply);
      } catch (refusal) {
        return refusal as ClamdError;
      }
    }
    // Our own diagnoses (a timeout, an overlong reply, a hang-up) stand as they are; a reset or
    // broken pipe, raised by the write or wrapped by the reply's reader, is the hang-up.
    if (error instanceof ClamdError && error.cause === undefined) return error;
    return hungUp((error instanceof ClamdError ? error.cause : error) as Error);
  }

  /** Gives up on the scan (the upload failed); clamd drops an unfinished stream. */
  abort(): void {
    this.socket.destroy();
  }
}

/** clamd's whole reply, up to the end of the connection; a silent clamd is cut after the timeout. */
function readReply(socket: net.Socket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    socket.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_REPLY_BYTES) {
        socket.destroy(new ClamdError('clamd sent an overlong reply'));
        return;
      }
      chunks.push(chunk);
    });
    socket.once('timeout', () =>
      socket.destroy(new ClamdError(`clamd did not respond within ${timeoutMs} ms`)),
    );
    socket.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.once('error', (error) =>
      reject(
        error instanceof ClamdError
          ? error
          : new ClamdError(`the connection to clamd failed: ${error.message}`, { cause: error }),
      ),
    );
    socket.once('close', () => reject(new ClamdError('clamd closed the connection unanswered')));
  });
}
