import { Types } from 'mongoose';
import { OutboxChannels } from './outbox-channel';
import type { OutboxClaim, OutboxMessage, OutboxMessageDocument } from './outbox-message.schema';
import { Outbox, OUTBOX_BATCH_SIZE } from './outbox.service';
import type { Model } from 'mongoose';

const query = <T>(value: T) => ({
  sort: () => ({ limit: () => ({ exec: () => Promise.resolve(value) }) }),
  exec: () => Promise.resolve(value),
});

describe('Outbox.deliverDue', () => {
  it('sends a batch a few at a time, each attempt once', async () => {
    const due = Array.from({ length: OUTBOX_BATCH_SIZE }, () => {
      const _id = new Types.ObjectId();
      return { _id, id: _id.toHexString(), attempts: 0, channel: 'mail', topic: 'test' };
    }) as unknown as OutboxMessageDocument[];
    const messages = {
      find: () => query(due),
      updateOne: () => query({ acknowledged: true }),
    } as unknown as Model<OutboxMessage>;
    const claims = { create: () => Promise.resolve({}) } as unknown as Model<OutboxClaim>;

    let inFlight = 0;
    let most = 0;
    const delivered: string[] = [];
    const channels = new OutboxChannels();
    channels.register({
      name: 'mail',
      enabled: true,
      maxAttempts: 3,
      retryDelay: () => 1000,
      deliver: async (message) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        delivered.push(message.id as string);
      },
    });

    const handled = await new Outbox(messages, claims, channels).deliverDue();
    expect(handled).toBe(OUTBOX_BATCH_SIZE);
    expect(new Set(delivered)).toEqual(new Set(due.map((message) => message.id as string)));
    expect(delivered).toHaveLength(OUTBOX_BATCH_SIZE);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
  });
});
