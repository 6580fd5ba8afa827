import { type Duplex, pipeline, type Readable } from 'node:stream';

export interface WatchedPipe<T extends Duplex> {
  /** `next`, now fed by the source. */
  stream: T;
  /** True once the source failed (errored, or closed before its end) before `next` did. */
  sourceFailed(): boolean;
}

/**
 * Pipes `source` into `next` and remembers which side failed first, so that a write whose body
 * broke (a client that hung up, an upload stopped by the virus scan) is not counted as a failure
 * of the storage backend. When the backend fails, its pipeline destroys `next` at once, before the
 * source hears of it; when the source fails, it says so before anything downstream is destroyed.
 */
export function pipeWatchingSource<T extends Duplex>(source: Readable, next: T): WatchedPipe<T> {
  let failed = false;
  const onFailure = () => {
    if (!next.destroyed && !source.readableEnded) failed = true;
  };
  // Registered before pipeline's own listeners, so these run first.
  source.once('error', onFailure);
  source.once('close', onFailure);
  pipeline(source, next, () => undefined);
  return { stream: next, sourceFailed: () => failed };
}
