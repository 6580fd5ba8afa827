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
 * - after a few idle seconds V8's memory reducer shrinks the old generation's limit to barely
 *   above what is live, and the next transfer then hit that limit again and again:
 *   `--heap-growing-percent=100` lets the old generation grow to twice what is live instead.
 *
 * V8 reads this whenever it plans a collection, so setting it at runtime takes effect
 * (`--trace-gc` shows it), and every entry point that serves HTTP gets it here.
 * `npm run bench:transfer` measures the difference; see bench/README.md.
 */
export const STREAMING_GC_FLAGS = ['--heap-growing-percent=100'] as const;

/**
 * The young generation's cap, which must be given when the process starts: V8 sizes it once, as
 * it sets up the heap. Set at runtime with the flags above (`--scavenger-max-new-space-capacity-mb=8`
 * was, until the soak benchmark), it changed nothing, and under many requests at once V8 grew the
 * young generation to 2 × 64 MiB: each instance's RSS rose by 32 and then 64 MiB whenever that
 * happened, and dead buffers waited longer for the rarer collections. 16 MiB semi-spaces (32 MiB
 * in all) are what V8 gave Node for years. NODE_OPTIONS accepts this flag, so every way the server
 * starts carries it there: the Dockerfile, `npm run start:prod`, the tests' scaled deployment.
 */
export const YOUNG_GENERATION_NODE_OPTIONS = '--max-semi-space-size=16';

export function tuneGarbageCollectorForStreaming(): void {
  for (const flag of STREAMING_GC_FLAGS) setFlagsFromString(flag);
}
