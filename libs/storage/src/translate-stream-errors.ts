import { PassThrough, type Readable } from 'node:stream';

/**
 * Hands out the bytes of a vendor stream, turning an error it raises half-way (a reset
 * connection, an object deleted mid-read) into one of ours. A consumer that stops early destroys
 * the vendor stream too, so its connection is released.
 */
export function translateStreamErrors(
  source: Readable,
  translate: (error: unknown) => Error,
): Readable {
  const output = new PassThrough();
  source.once('error', (error) => output.destroy(translate(error)));
  output.once('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(output);
  return output;
}
