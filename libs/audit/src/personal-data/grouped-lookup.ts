interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Keyed reads that share round trips: while one read runs, the keys asked for meanwhile wait and
 * go together in the next (group commit, for reads). A caller is only ever answered by a read
 * that began after it asked, so it sees every write that was done before it asked, as a read of
 * its own would.
 */
export class GroupedLookup<V> {
  private waiting = new Map<string, Waiter<V>[]>();
  private reading = false;

  /** `readMany` answers the keys it found; a key it leaves out reads as undefined. */
  constructor(
    private readonly readMany: (keys: string[]) => Promise<Map<string, V>>,
    private readonly maxKeys = 500,
  ) {}

  get(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      while (this.waiting.size > 0) {
        const batch = [...this.waiting].slice(0, this.maxKeys);
        for (const [key] of batch) this.waiting.delete(key);
        try {
          const found = await this.readMany(batch.map(([key]) => key));
          for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
        } catch (error) {
          for (const [, waiters] of batch) for (const w of waiters) w.reject(error);
        }
      }
    } finally {
      this.reading = false;
    }
  }
}
