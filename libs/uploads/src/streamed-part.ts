import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';

/** Why a part's stream ends short: the request that was filling it ended first. */
export class PartAbandonedError extends Error {
  constructor() {
    super('the request ended before the part was whole');
    this.name = 'PartAbandonedError';
  }
}

/**
 * One part on its way to storage while it fills: sealed chunks are written into it as they are
 * made, and storage takes them as they come, so no whole part is held in memory. Writing waits
 * while storage is behind by more than `bufferBytes`, which holds back the request in turn.
 */
export class StreamedPart {
  /** The receipt storage gives for the part, once it has every byte. */
  readonly stored: Promise<string>;
  private readonly body: PassThrough;
  private failure?: Error;

  constructor(store: (body: Readable) => Promise<string>, bufferBytes: number) {
    this.body = new PassThrough({ highWaterMark: bufferBytes });
    // Failures reach the writer through `write` and `stored`, not as an unhandled 'error'.
    this.body.on('error', () => undefined);
    this.stored = store(this.body);
    this.stored.catch((error: Error) => {
      this.failure ??= error;
      this.body.destroy(error);
    });
  }

  async write(pieces: readonly Buffer[]): Promise<void> {
    for (const piece of pieces) {
      if (this.failure) throw this.failure;
      if (!this.body.write(piece)) await once(this.body, 'drain');
    }
    if (this.failure) throw this.failure;
  }

  /** Every byte is written: storage finishes the part, and `stored` settles. */
  end(): void {
    this.body.end();
  }

  /** The part will not be whole: storage drops it, and its failure is no one's concern. */
  abandon(): void {
    this.failure ??= new PartAbandonedError();
    this.stored.catch(() => undefined);
    this.body.destroy(this.failure);
  }
}
