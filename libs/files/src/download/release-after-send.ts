import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { PrematureCloseError } from '@strongroom/common';
import { chunkHandedOver, releaseBuffer } from '@strongroom/storage';

/**
 * The response as a stream that frees each chunk of the body once the socket is done with it (its
 * write's callback), instead of leaving it to V8's next full collection (`releaseBuffer`): a
 * download's plaintext is a fresh buffer per piece, and with many downloads at once those were
 * most of the process's memory. `releaseAll`: every chunk (a body that hands its chunks over,
 * `chunksHandedOver`); otherwise only those handed over one by one (`handOverChunk`: the
 * decipher's output). Piped into, it
 * behaves as the response would: backpressure, the end, a body that fails destroys the response,
 * and a client that goes away fails the pipe with ERR_STREAM_PREMATURE_CLOSE.
 */
export function releasingAfterSend(res: ServerResponse, releaseAll: boolean): Writable {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (res.destroyed) return callback(new PrematureCloseError());
      // Called once the socket wrote the chunk, or dropped it with the connection.
      const sent = releaseAll || chunkHandedOver(chunk) ? () => releaseBuffer(chunk) : undefined;
      if (res.write(chunk, sent)) callback();
      else res.once('drain', () => callback());
    },
    final(callback) {
      res.end(() => callback());
    },
    destroy(error, callback) {
      if (error && !res.destroyed) res.destroy(error);
      callback(error);
    },
  });
  const gone = () => {
    if (!res.writableFinished) sink.destroy(new PrematureCloseError());
  };
  if (res.destroyed) process.nextTick(gone);
  else res.once('close', gone);
  return sink;
}
