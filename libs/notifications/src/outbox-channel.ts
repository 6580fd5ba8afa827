import { Injectable } from '@nestjs/common';
import type { OutboxMessageDocument } from './outbox-message.schema';

/**
 * One kind of message the outbox carries (mail, webhooks) and how it goes out: its sender, its
 * retry schedule and what happens when a message is given up. The outbox itself only queues,
 * claims and retries.
 */
export interface OutboxChannel {
  /** Stored on each message: `mail`, `webhook`. */
  readonly name: string;
  /** Off (mail without SMTP_URL): nothing is queued for it and nothing of it is sent. */
  readonly enabled: boolean;
  readonly maxAttempts: number;
  /** The wait after `attemptsMade` failed attempts. */
  retryDelay(attemptsMade: number): number;
  /** Sends one attempt (1-based); throws to retry, throws `GiveUpDelivery` to stop at once. */
  deliver(message: OutboxMessageDocument, attempt: number): Promise<void>;
  /** Called once when a message is given up, after its last attempt. */
  gaveUp?(message: OutboxMessageDocument, reason: string): Promise<void>;
  /** Removes the channel's own records that are past keeping; called with the outbox's prune. */
  prune?(now: Date): Promise<void>;
}

/** A failure no retry can mend (the webhook endpoint is gone): the message fails now. */
export class GiveUpDelivery extends Error {
  override readonly name = 'GiveUpDelivery';
}

/** The channels the outbox knows; each feature registers its own at module init. */
@Injectable()
export class OutboxChannels {
  private readonly channels = new Map<string, OutboxChannel>();

  register(channel: OutboxChannel): void {
    if (this.channels.has(channel.name)) throw new Error(`outbox channel ${channel.name} twice`);
    this.channels.set(channel.name, channel);
  }

  get(name: string): OutboxChannel | undefined {
    return this.channels.get(name);
  }

  enabledNames(): string[] {
    return [...this.channels.values()].filter((channel) => channel.enabled).map((c) => c.name);
  }

  all(): OutboxChannel[] {
    return [...this.channels.values()];
  }
}
