import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import type { SecurityEventsService } from '@strongroom/audit';
import type { ClientContext } from '@strongroom/common';
import { ApiKeyUsageRecorder } from './api-key-usage.recorder';
import type { ApiKey, ApiKeyDocument } from './api-key.schema';

/** A stand-in for the api_keys collection holding one key, applying conditional updates as MongoDB does. */
function oneKeyCollection() {
  const stored = { _id: new Types.ObjectId(), lastUsedAt: null as Date | null, lastUsedIp: null };
  const writes: Date[] = [];
  const updateOne = jest.fn(
    (filter: { lastUsedAt: null | { $lte: Date } }, update: { $set: { lastUsedAt: Date } }) => {
      const matches =
        filter.lastUsedAt === null
          ? stored.lastUsedAt === null
          : stored.lastUsedAt !== null && stored.lastUsedAt <= filter.lastUsedAt.$lte;
      if (matches) {
        stored.lastUsedAt = update.$set.lastUsedAt;
        writes.push(update.$set.lastUsedAt);
      }
      return { exec: () => Promise.resolve({ modifiedCount: matches ? 1 : 0 }) };
    },
  );
  /** What a request reads: the key as stored when it was looked up. */
  const snapshot = () =>
    ({ ...stored, id: String(stored._id), userId: 'u1', name: 'ci' }) as unknown as ApiKeyDocument;
  return { model: { updateOne } as unknown as Model<ApiKey>, updateOne, writes, snapshot };
}

describe('ApiKeyUsageRecorder', () => {
  const client: ClientContext = { requestId: 'r', ip: '203.0.113.9' };
  const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds));

  it('writes the last use at most once a minute, however often the key is used', async () => {
    const keys = oneKeyCollection();
    const record = jest.fn().mockResolvedValue(undefined);
    const recorder = new ApiKeyUsageRecorder(keys.model, {
      record,
    } as unknown as SecurityEventsService);

    for (let second = 0; second <= 150; second += 5) {
      await recorder.record(keys.snapshot(), client, at(second));
    }

    expect(keys.writes).toEqual([at(0), at(60), at(120)]);
    // Uses within the minute cost no query at all.
    expect(keys.updateOne).toHaveBeenCalledTimes(3);
    expect(record).toHaveBeenCalledTimes(1);
    expect(record).toHaveBeenCalledWith(expect.objectContaining({ type: 'api_key_first_used' }));
  });

  it('writes once when concurrent requests (or instances) read the same stale time', async () => {
    const keys = oneKeyCollection();
    const recorder = new ApiKeyUsageRecorder(keys.model, {
      record: jest.fn().mockResolvedValue(undefined),
    } as unknown as SecurityEventsService);
    await recorder.record(keys.snapshot(), client, at(0));
    const stale = keys.snapshot();

    await Promise.all([
      recorder.record(stale, client, at(61)),
      recorder.record(stale, client, at(62)),
      recorder.record(stale, client, at(63)),
    ]);

    expect(keys.writes).toEqual([at(0), at(61)]);
  });
});
