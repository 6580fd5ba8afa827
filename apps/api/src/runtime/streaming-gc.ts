import { setFlagsFromString } from 'node:v8';

/**
 * V8 garbage-collector settings for a process that streams files. Every chunk of a transfer is a
 * short-lived Buffer whose bytes live outside the V8 heap (socket reads, file reads, cipher
 * output). By default V8 answers each 64 MB of such external memory with a full mark-compact of
 * the whole heap, which for this application is some 40 MB of live objects: moving one GiB cost
 * about 70 of them, and more CPU than the encryption itself.
 *
 * - `--external-memory-accounted-in-global-limit` counts external bytes in the heap's global
 *   limit instead, so short-lived buffers are left to the cheap young-generation collections that
 *   free them anyway.
 * - `--scavenger-max-new-space-capacity-mb=8` keeps the young generation small (V8 grows it to
 *   32 MB under load), so those collections come often and the memory a transfer holds stays low.
 *
 * Both are read by V8 whenever it plans a collection, so setting them at runtime takes effect
 * (`node --trace-gc` shows the difference). `npm run bench:transfer` measures what they buy; see
 * bench/README.md.
 */
export const STREAMING_GC_FLAGS = [
  '--external-memory-accounted-in-global-limit',
  '--scavenger-max-new-space-capacity-mb=8',
] as const;

export function tuneGarbageCollectorForStreaming(): void {
  for (const flag of STREAMING_GC_FLAGS) setFlagsFromString(flag);
}
