import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { DependencyUnavailableError } from '@strongroom/common';
import { readyFilesEstimate } from '@strongroom/files';
import { activityWindowStart, DailyActivityFold } from './daily-activity';
import type { InstanceStats, StorageUserResponse } from './dto/instance-stats.dto';

export const TOP_USERS = 5;

interface UserRow {
  _id: unknown;
  email: string;
  displayName?: string | null;
  storageUsed?: number;
  quota?: number | null;
}

/**
 * Read-only figures over the users, files and audit collections. Only what FerretDB 1.x (the
 * embedded database) computes as real MongoDB does: it has no date operators, and a `$group` with
 * two accumulators returns 0 for the second, so each sum is its own single-accumulator `$group`
 * and days are folded here from the upload events' times, read through the `at` index. The
 * account and file counts are estimates from the collections' metadata (readyFilesEstimate), not a
 * count of every document.
 */
@Injectable()
export class InstanceStatsService {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async stats(days: number, now = new Date()): Promise<InstanceStats> {
    const users = this.db().collection<UserRow>('users');
    const files = this.db().collection('files');
    const ready = { status: 'ready' };

    const [userCount, fileCount, stored, top, daily] = await Promise.all([
      users.estimatedDocumentCount(),
      readyFilesEstimate(files),
      files
        .aggregate<{ bytes: number }>([
          { $match: ready },
          { $group: { _id: null, bytes: { $sum: '$size' } } },
        ])
        .toArray(),
      users
        .find(
          { storageUsed: { $gt: 0 } },
          {
            projection: { email: 1, displayName: 1, storageUsed: 1, quota: 1 },
            sort: { storageUsed: -1, _id: 1 },
            limit: TOP_USERS,
          },
        )
        .toArray(),
      this.daily(days, now),
    ]);

    return {
      users: userCount,
      files: fileCount,
      bytesStored: stored[0]?.bytes ?? 0,
      topUsers: top.map((user): StorageUserResponse => ({
        id: String(user._id),
        email: user.email,
        displayName: user.displayName ?? undefined,
        storageUsed: user.storageUsed ?? 0,
        quota: user.quota ?? null,
      })),
      days,
      daily,
    };
  }

  private async daily(days: number, now: Date) {
    const start = activityWindowStart(days, now);
    const fold = new DailyActivityFold(start, days);
    const events = this.db()
      .collection<{ at: Date; details?: { size?: unknown } }>('audit_events')
      .find(
        { at: { $gte: start }, type: 'file_uploaded', outcome: 'success' },
        { projection: { _id: 0, at: 1, 'details.size': 1 } },
      );
    for await (const event of events) fold.add(event.at, event.details?.size);
    return fold.result();
  }

  private db() {
    const db = this.connection.db;
    if (!db) throw new DependencyUnavailableError('database');
    return db;
  }
}
