import { DeletionHeldError } from '@strongroom/common';
import type { AppConfig } from '@strongroom/config';
import type { SecurityEventsService } from '@strongroom/audit';
import type { GroupsService } from '@strongroom/groups';
import { FileDeletionGuard, type GuardedFile } from './file-deletion.guard';
import type { LegalHoldDocument } from './legal-hold.schema';
import type { LegalHoldsService } from './legal-holds.service';

const DAY_MS = 24 * 60 * 60 * 1000;
const uploadedAt = new Date('2026-01-01T00:00:00Z');
const file: GuardedFile = { id: 'f1', name: 'a.txt', ownerId: 'u1', uploadedAt };

function guardWith(options: {
  instanceDays?: number;
  group?: { days: number; group: string };
  holds?: Partial<LegalHoldDocument>[];
}) {
  const holds = { covering: jest.fn().mockResolvedValue(options.holds ?? []) };
  const groups = { longestRetentionOf: jest.fn().mockResolvedValue(options.group) };
  const events = { record: jest.fn().mockResolvedValue(undefined) };
  const config = { retention: { minDays: options.instanceDays ?? 0 } } as AppConfig;
  const guard = new FileDeletionGuard(
    holds as unknown as LegalHoldsService,
    groups as unknown as GroupsService,
    events as unknown as SecurityEventsService,
    config,
  );
  return { guard, events };
}

describe('FileDeletionGuard', () => {
  it('lets a file go when no hold and no retention applies', async () => {
    const { guard } = guardWith({});
    await expect(guard.whyKept(file)).resolves.toBeUndefined();
  });

  it('takes the longest retention of the instance, the groups and the record', async () => {
    const { guard } = guardWith({ instanceDays: 30, group: { days: 90, group: 'Finance' } });
    const retention = await guard.retentionOf(file);
    expect(retention).toEqual({
      until: new Date(uploadedAt.getTime() + 90 * DAY_MS),
      rule: 'the 90-day retention of the group "Finance"',
    });
    const stamped = new Date(uploadedAt.getTime() + 400 * DAY_MS);
    expect((await guard.retentionOf({ ...file, retainedUntil: stamped }))?.until).toEqual(stamped);
  });

  it('keeps a file only while its retention runs', async () => {
    const { guard } = guardWith({ instanceDays: 30 });
    const during = new Date(uploadedAt.getTime() + 29 * DAY_MS);
    const after = new Date(uploadedAt.getTime() + 31 * DAY_MS);
    expect(await guard.whyKept(file, during)).toBe(
      "retained until 2026-01-31T00:00:00.000Z by the instance's 30-day retention (RETENTION_MIN_DAYS)",
    );
    expect(await guard.whyKept(file, after)).toBeUndefined();
  });

  it('refuses with the hold named and records the refusal', async () => {
    const { guard, events } = guardWith({
      holds: [
        {
          subject: 'file',
          reason: 'Matter 7',
          placedByEmail: 'counsel@example.com',
          placedAt: new Date('2026-02-03T10:00:00Z'),
        },
      ],
    });
    const refusal = guard.assertDeletable(file, { actorId: 'u1', path: 'owner' });
    await expect(refusal).rejects.toThrow(DeletionHeldError);
    await expect(refusal).rejects.toThrow(
      'The file "a.txt" cannot be deleted: it is under legal hold placed by counsel@example.com on 2026-02-03: "Matter 7"',
    );
    expect(events.record).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'deletion_refused_held', fileId: 'f1', actorId: 'u1' }),
    );
  });
});
