import type Redis from 'ioredis';
import { type AnnouncedWrite, onAnnouncedWrite } from '@strongroom/common';

type Listener<T> = (message: T) => void;

/**
 * Keeps the per-instance caches of one kind true across instances: what a process announces
 * reaches its own listeners first, then every instance through a Redis channel. A subscriber
 * hears `everything` (its cache must drop all it holds) whenever its subscription connects or
 * is lost, and for a message it cannot read, since it may have missed some meanwhile; `live`
 * says whether it hears the others now. Without Redis there is no channel: local listeners only.
 */
export class InvalidationChannel<T> {
  private readonly local = new Set<Listener<T>>();
  private readonly subscribers = new Set<Redis>();

  constructor(
    private readonly redis: Redis | null,
    readonly name: string,
    private readonly everything: T,
  ) {}

  get shared(): boolean {
    return this.redis !== null;
  }

  /** Hears what this process announces. */
  onLocal(listener: Listener<T>): void {
    this.local.add(listener);
  }

  /** Tells this process's listeners, then publishes; rejects when Redis did not take it. */
  async announce(message: T): Promise<void> {
    for (const listener of this.local) listener(message);
    await this.redis?.publish(this.name, JSON.stringify(message));
  }

  /**
   * Announces what each write announced in this process (`announceWrites`) makes stale, before
   * the write's caller goes on; `failed` says what a message Redis did not take means for that
   * write (throwing fails it). Returns the function that stops it.
   */
  followWrites(
    staleBy: (write: AnnouncedWrite) => T | undefined,
    failed: (error: unknown) => void,
  ): () => void {
    return onAnnouncedWrite(async (write) => {
      const message = staleBy(write);
      if (message === undefined) return;
      try {
        await this.announce(message);
      } catch (error) {
        failed(error);
      }
    });
  }

  /**
   * Hears every instance's messages (this one's too) on a connection of its own. `live()` is true
   * while that connection is subscribed: the listener heard `everything` when it became so, and
   * hears it again when it is lost.
   */
  async subscribe(listener: Listener<T>): Promise<{ live: () => boolean }> {
    if (!this.redis) return { live: () => false };
    // Subscribed again by hand after each reconnect, so that `everything` comes once the
    // subscription is back: a message published before then is covered by it.
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, autoResubscribe: false });
    this.subscribers.add(subscriber);
    let live = false;
    subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.name) return;
      let message: T;
      try {
        message = JSON.parse(text) as T;
      } catch {
        message = this.everything;
      }
      listener(message);
    });
    subscriber.on('close', () => {
      if (!live) return;
      live = false;
      listener(this.everything);
    });
    await new Promise<void>((resolve) => {
      subscriber.on('ready', () => {
        subscriber.subscribe(this.name).then(
          () => {
            live = true;
            listener(this.everything);
            resolve();
          },
          // The connection is going; the next 'ready' subscribes again.
          () => undefined,
        );
      });
    });
    return { live: () => live && subscriber.status === 'ready' };
  }

  async close(): Promise<void> {
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    await Promise.all(
      subscribers.map((subscriber) => subscriber.quit().catch(() => subscriber.disconnect())),
    );
  }
}
