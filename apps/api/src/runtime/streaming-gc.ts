import { setFlagsFromString } from 'node:v8';

/**
 * V8 garbage-collector settings for a process that streams files. Every chunk of a transfer is a
 * short-lived Buffer whose bytes live outside the V8 heap (socket reads, file reads, cipher
 * output). With V8's defaults this application (some 45 MB of live objects) ran a full
 * mark-compact of the whole heap for every 15 to 60 MB moved, more CPU than the encryption itself:
 *
 * - V8 starts a collection for each 64 MB of external memory allocated since the last one. That
 *   is kept: it is what bounds the buffer garbage a process holds whatever the number of
 *   transfers. `--external-memory-accounted-in-global-limit`, tried here before, counted that
 *   memory in the heap's global limit instead, which grows with the live set: with 16 transfers at
 *   once the server held 140 to 210 MB of dead buffers (`npm run bench:concurrency`);
 * - `--scavenger-max-new-space-capacity-mb=8` keeps the young generation small (V8 grows it to
 *   32 MB), so those collections come often and the buffer memory a transfer holds stays low;
 * - after a few idle seconds V8's memory reducer shrinks the old generation's limit to barely
 *   above what is live, and the next transfer then hit that limit again and again:
 *   `--heap-growing-percent=100` lets the old generation grow to twice what is live instead.
 *
 * V8 reads these whenever it plans a collection, so setting them at runtime takes effect
 * (`--trace-gc` shows it), and every entry point that serves HTTP gets them here.
 * `npm run bench:transfer` measures the difference; see bench/README.md.
 */
export const STREAMING_GC_FLAGS = [
  '--scavenger-max-new-space-capacity-mb=8',
  '--heap-growing-percent=100',
] as const;

export function tuneGarbageCollectorForStreaming(): void {
  for (const flag of STREAMING_GC_FLAGS) setFlagsFromString(flag);
}
