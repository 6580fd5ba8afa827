/** ES2024's ArrayBuffer.prototype.transfer, which the project's TypeScript lib (ES2023) lacks. */
type Transferable = ArrayBuffer & { transfer(newLength: number): ArrayBuffer };

/**
 * Frees a buffer's memory now instead of at the garbage collector's next full collection. A
 * transfer's chunks live outside the V8 heap, and V8 collects them only after 64 MB more of such
 * memory was allocated since its last full collection: with many transfers at once that garbage,
 * not what the transfers hold, is most of the process's memory (bench/README.md, "Many transfers
 * at once"). Detaching the ArrayBuffer (a transfer to length 0) frees it at once.
 *
 * Only for a buffer that nothing else will read: the caller must own it (a cipher's output, a
 * storage read's chunk) and have copied or consumed it synchronously, with no socket or file write
 * still reading it. Any other view of it would read as empty. A buffer that is a view into a
 * larger allocation (Buffer's shared pool, a slice) is left to the collector.
 */
export function releaseBuffer(buffer: Buffer): void {
  const whole = buffer.buffer;
  if (!(whole instanceof ArrayBuffer)) return;
  if (buffer.byteOffset !== 0 || buffer.byteLength !== whole.byteLength) return;
  (whole as Transferable).transfer(0);
}
