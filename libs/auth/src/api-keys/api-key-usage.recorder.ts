import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { SecurityEventsService } from '@strongroom/audit';
import type { ClientContext } from '@strongroom/common';
import { ApiKey, type ApiKeyDocument } from './api-key.schema';

export const USAGE_WRITE_INTERVAL_MS = 60_000;

/**
 * Last used time and address, written at most once a minute per key: a key used more often is
 * skipped without a query, and the write itself is conditional, so several instances (or
 * concurrent requests) seeing the same stale time still write only once.
 */
@Injectable()
export class ApiKeyUsageRecorder {
  constructor(
    @InjectModel(ApiKey.name) private readonly keys: Model<ApiKey>,
    private readonly events: SecurityEventsService,
  ) {}

  async record(key: ApiKeyDocument, client: ClientContext, now = new Date()): Promise<void> {
    const cutoff = new Date(now.getTime() - USAGE_WRITE_INTERVAL_MS);
    if (key.lastUsedAt && key.lastUsedAt > cutoff) return;
    const firstUse = key.lastUsedAt === null;
    const { modifiedCount } = await this.keys
      .updateOne(
        { _id: key._id, lastUsedAt: firstUse ? null : { $lte: cutoff } },
        { $set: { lastUsedAt: now, lastUsedIp: client.ip } },
      )
      .exec();
    if (firstUse && modifiedCount === 1) {
      await this.events.record({
        type: 'api_key_first_used',
        client,
        actorId: key.userId,
        subjectId: key.userId,
        details: { keyId: key.id as string, name: key.name },
      });
    }
  }
}
