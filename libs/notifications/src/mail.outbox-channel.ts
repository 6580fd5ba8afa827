import { Injectable } from '@nestjs/common';
import { MailTransport, type OutgoingMail } from './mail-transport';
import { MAX_ATTEMPTS, nextAttemptDelay } from './outbox-backoff';
import type { OutboxChannel } from './outbox-channel';
import type { OutboxMessageDocument } from './outbox-message.schema';

/** E-mail through SMTP_URL: retried for about a day. */
@Injectable()
export class MailOutboxChannel implements OutboxChannel {
  readonly name = 'mail';
  readonly maxAttempts = MAX_ATTEMPTS;

  constructor(private readonly transport: MailTransport) {}

  get enabled(): boolean {
    return this.transport.enabled;
  }

  retryDelay(attemptsMade: number): number {
    return nextAttemptDelay(attemptsMade);
  }

  async deliver(message: OutboxMessageDocument): Promise<void> {
    await this.transport.send(message as unknown as OutgoingMail);
  }
}
