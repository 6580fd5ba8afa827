import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '@strongroom/common';
import type { OutgoingMail } from './mail-transport';
import { GiveUpDelivery, OutboxChannels } from './outbox-channel';
import { OutboxClaim, OutboxMessage, type OutboxMessageDocument } from './outbox-message.schema';

/** Messages one poll takes; a worker that got this many polls again at once. */
export const OUTBOX_BATCH_SIZE = 20;
/** Deliveries of one batch under way at once. */
const SENDERS = 8;
/** A claim this old whose attempt never finished was cut short by a crash: the next attempt may go. */
const STALE_CLAIM_MS = 5 * 60_000;
/** Claims outlive any poll that could still race for their attempt; then they are only clutter. */
const CLAIM_RETENTION_MS = 24 * 3_600_000;
/** Sent mail is kept a week for questions about it, failed mail a month; both hold addresses. */
const SENT_RETENTION_MS = 7 * 24 * 3_600_000;
const FAILED_RETENTION_MS = 30 * 24 * 3_600_000;

export type DeliveryOutcome = 'sent' | 'retry' | 'failed';

/** The outbox: enqueue from requests, deliver from the worker, through each message's channel. */
@Injectable()
export class Outbox {
  private readonly logger = new Logger('Outbox');
  private readonly enqueued = new Set<() => void>();

  constructor(
    @InjectModel(OutboxMessage.name) private readonly messages: Model<OutboxMessage>,
    @InjectModel(OutboxClaim.name) private readonly claims: Model<OutboxClaim>,
    private readonly channels: OutboxChannels,
  ) {}

  /** Queues mail for the worker; nothing when mail is off. */
  async enqueue(topic: string, mails: OutgoingMail[]): Promise<void> {
    await this.enqueueOn('mail', topic, mails);
  }

  /** Queues messages for one channel; nothing when that channel is off. */
  async enqueueOn(
    channel: string,
    topic: string,
    messages: (OutgoingMail | { payload: Record<string, unknown> })[],
  ): Promise<void> {
    if (!this.channels.get(channel)?.enabled || messages.length === 0) return;
    await this.messages.insertMany(messages.map((message) => ({ ...message, channel, topic })));
    for (const listener of this.enqueued) listener();
  }

  /**
   * Calls `listener` once messages have been queued on this instance, so a worker can send them
   * now instead of at its next poll. Returns the unsubscribe function.
   */
  onEnqueued(listener: () => void): () => void {
    this.enqueued.add(listener);
    return () => this.enqueued.delete(listener);
  }

  /** Drops what still waits for a channel's subject (a deleted webhook endpoint). */
  async cancel(channel: string, payloadFilter: Record<string, unknown>): Promise<void> {
    const filter = Object.fromEntries(
      Object.entries(payloadFilter).map(([key, value]) => [`payload.${key}`, value]),
    );
    await this.messages.deleteMany({ channel, status: 'pending', ...filter }).exec();
  }

  /**
   * Sends what is due, a few at a time; each attempt is claimed first, so it runs once across all
   * instances. Returns how many attempts this call made.
   */
  async deliverDue(
    now = new Date(),
    onDelivered?: (message: OutboxMessageDocument, outcome: DeliveryOutcome) => void,
  ): Promise<number> {
    const enabled = this.channels.enabledNames();
    if (enabled.length === 0) return 0;
    // Mail queued before there were channels has none.
    const channels = enabled.includes('mail') ? [...enabled, null] : enabled;
    const due = await this.messages
      .find({ status: 'pending', nextAttemptAt: { $lte: now }, channel: { $in: channels } })
      .sort({ nextAttemptAt: 1 })
      .limit(OUTBOX_BATCH_SIZE)
      .exec();
    let handled = 0;
    let next = 0;
    // Sending waits on SMTP servers and webhook receivers; a few at a time keep a burst moving.
    // Each attempt is claimed on its own, so the order within a batch is all that is given up.
    const sender = async () => {
      while (next < due.length) {
        const message = due[next++];
        if (!(await this.claim(message, now))) continue;
        const outcome = await this.attempt(message);
        onDelivered?.(message, outcome);
        handled += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(SENDERS, due.length) }, sender));
    return handled;
  }

  /** Removes old claims and old settled messages, so the outbox does not grow without end. */
  async prune(now = new Date()): Promise<void> {
    const before = (ms: number) => new Date(now.getTime() - ms);
    await this.claims.deleteMany({ claimedAt: { $lt: before(CLAIM_RETENTION_MS) } }).exec();
    await this.messages
      .deleteMany({ status: 'sent', createdAt: { $lt: before(SENT_RETENTION_MS) } })
      .exec();
    await this.messages
      .deleteMany({ status: 'failed', createdAt: { $lt: before(FAILED_RETENTION_MS) } })
      .exec();
    for (const channel of this.channels.all()) await channel.prune?.(now);
  }

  /** Per channel, messages waiting and the age of the oldest, for /metrics. */
  async backlog(
    now = new Date(),
  ): Promise<{ channel: string; pending: number; oldestAgeSeconds: number }[]> {
    return Promise.all(
      this.channels.all().map(async ({ name }) => {
        // Mail queued before there were channels has none.
        const filter = {
          status: 'pending',
          channel: name === 'mail' ? { $in: [name, null] } : name,
        };
        const [pending, oldest] = await Promise.all([
          this.messages.countDocuments(filter).exec(),
          this.messages.findOne(filter, { createdAt: 1 }).sort({ createdAt: 1 }).exec(),
        ]);
        const ageMs = oldest ? now.getTime() - oldest.createdAt.getTime() : 0;
        return { channel: name, pending, oldestAgeSeconds: Math.max(0, Math.floor(ageMs / 1000)) };
      }),
    );
  }

  private async claim(message: OutboxMessageDocument, now: Date): Promise<boolean> {
    const key = `${message.id as string}:${message.attempts}`;
    try {
      await this.claims.create({ key, claimedAt: now });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.claims.findOne({ key }).lean().exec();
    if (existing && now.getTime() - existing.claimedAt.getTime() > STALE_CLAIM_MS) {
      // The attempt's worker died mid-way: count it as made, so the next poll claims a fresh one.
      await this.messages
        .updateOne({ _id: message._id, attempts: message.attempts }, { $inc: { attempts: 1 } })
        .exec();
    }
    return false;
  }

  private async attempt(message: OutboxMessageDocument): Promise<DeliveryOutcome> {
    const attempts = message.attempts + 1;
    const channel = this.channels.get(message.channel);
    if (!channel) throw new Error(`no outbox channel ${message.channel}`);
    try {
      await channel.deliver(message, attempts);
      await this.settle(message._id, { status: 'sent', attempts, sentAt: new Date() });
      return 'sent';
    } catch (error) {
      const reason = (error as Error).message.slice(0, 500);
      const failed = error instanceof GiveUpDelivery || attempts >= channel.maxAttempts;
      this.logger.warn(
        `${message.topic} ${channel.name} message ${message.id as string}, attempt ${attempts}: ${reason}${failed ? ' (giving up)' : ''}`,
      );
      await this.settle(message._id, {
        status: failed ? 'failed' : 'pending',
        attempts,
        lastError: reason,
        nextAttemptAt: new Date(Date.now() + channel.retryDelay(attempts)),
      });
      if (failed) await channel.gaveUp?.(message, reason);
      return failed ? 'failed' : 'retry';
    }
  }

  private async settle(id: Types.ObjectId, changes: Partial<OutboxMessage>): Promise<void> {
    await this.messages.updateOne({ _id: id }, { $set: changes }).exec();
  }
}
