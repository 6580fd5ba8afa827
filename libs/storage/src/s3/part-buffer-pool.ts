/**
 * A fixed number of equal buffers shared by every upload of a process. An upload takes one to fill
 * and gives it back once its part is stored; when none is free it waits, first come first served,
 * and so reads no more of its request until one is. However many uploads run at once, their part
 * buffers never take more than `size × count` bytes, and since the buffers are reused, none of it
 * is garbage waiting for a collection.
 */
export class PartBufferPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((buffer: Buffer) => void)[] = [];
  private made = 0;

  constructor(
    readonly size: number,
    readonly count: number,
  ) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('a pool needs a buffer');
  }

  /** Buffers handed out and not yet given back. */
  get inUse(): number {
    return this.made - this.free.length;
  }

  acquire(): Promise<Buffer> {
    const buffer = this.free.pop();
    if (buffer) return Promise.resolve(buffer);
    if (this.made < this.count) {
      this.made += 1;
      return Promise.resolve(Buffer.allocUnsafeSlow(this.size));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(buffer: Buffer): void {
    const next = this.waiting.shift();
    if (next) next(buffer);
    else this.free.push(buffer);
  }
}
