import type { Readable } from 'node:stream';

/** The stream ended without its 'end': a request whose client went away mid-body. */
export class PrematureCloseError extends Error {
  readonly code = 'ERR_STREAM_PREMATURE_CLOSE';

  constructor() {
    super('the stream closed before its end');
    this.name = 'PrematureCloseError';
  }
}

/**
 * A readable's chunks as they arrived, each the same Buffer the stream emitted. `for await` on a
 * paused stream reads whatever is buffered in one piece, which copies when more than one chunk
 * waits (a socket delivers 64 KiB pieces faster than they are sealed); here the stream flows, is
 * paused while a chunk waits for the consumer, and resumed when it takes it. Ends with the
 * stream's error, or PrematureCloseError if it closed before its end; leaving the loop early
 * leaves the stream paused, not destroyed.
 */
export async function* arrivingChunks(source: Readable): AsyncGenerator<Buffer> {
  const waiting: Buffer[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const onData = (chunk: Buffer) => {
    waiting.push(chunk);
    source.pause();
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onError = (error: Error) => {
    failure ??= error;
    notify();
  };
  const onClose = () => {
    if (!ended) failure ??= source.errored ?? new PrematureCloseError();
    notify();
  };
  source.on('data', onData);
  source.on('end', onEnd);
  source.on('error', onError);
  source.on('close', onClose);
  try {
    if (source.readableEnded) return;
    if (source.destroyed) throw source.errored ?? new PrematureCloseError();
    for (;;) {
      const chunk = waiting.shift();
      if (chunk) {
        // The next chunk arrives while this one is worked on: at most one waits.
        if (waiting.length === 0 && !ended) source.resume();
        yield chunk;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      source.resume();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // Paused before its listener goes: a flowing stream without one would drop what comes.
    if (!source.destroyed && !source.readableEnded) source.pause();
    source.off('data', onData);
    source.off('end', onEnd);
    source.off('error', onError);
    source.off('close', onClose);
  }
}
