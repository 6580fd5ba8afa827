import { Mutex } from 'async-mutex';

interface Entry {
  mutex: Mutex;
  users: number;
}

/** Runs tasks one at a time per key (e.g. per user), in this process; idle keys are forgotten. */
export class KeyedMutex {
  private readonly entries = new Map<string, Entry>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key) ?? { mutex: new Mutex(), users: 0 };
    entry.users += 1;
    this.entries.set(key, entry);
    try {
      return await entry.mutex.runExclusive(task);
    } finally {
      entry.users -= 1;
      if (entry.users === 0) this.entries.delete(key);
    }
  }
}
