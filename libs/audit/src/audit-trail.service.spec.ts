import type { Model } from 'mongoose';
import type { Counter } from 'prom-client';
import { DependencyUnavailableError } from '@strongroom/common';
import { GENESIS_HASH, hashEvent } from './audit-chain';
import type { AuditDetails, AuditEvent } from './audit-event.schema';
import { AuditTrail } from './audit-trail.service';
import type { AuditPersonalData } from './personal-data/audit-personal-data.service';

/** An in-memory stand-in for the collection: a unique seq, and a rival writer on demand. */
class FakeEvents {
  readonly stored: AuditEvent[] = [];
  headReads = 0;
  /** Before each of the next n inserts, another instance appends first. */
  rivalAppendsBeforeInsert = 0;

  init = jest.fn(() => Promise.resolve());
  createIndexes = jest.fn(() => Promise.resolve());

  findOne() {
    const query = {
      sort: () => query,
      lean: () => query,
      exec: () => {
        this.headReads += 1;
        return Promise.resolve(this.stored.at(-1) ?? null);
      },
    };
    return query;
  }

  create(event: AuditEvent) {
    if (this.rivalAppendsBeforeInsert > 0) {
      this.rivalAppendsBeforeInsert -= 1;
      this.appendRival();
    }
    if (this.stored.some((existing) => existing.seq === event.seq)) {
      return Promise.reject(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
    }
    this.stored.push(event);
    return Promise.resolve(event);
  }

  private appendRival() {
    const last = this.stored.at(-1);
    const content = {
      seq: (last?.seq ?? 0) + 1,
      at: new Date(),
      type: 'login_succeeded' as const,
      actor: {},
      target: {},
      outcome: 'success' as const,
      details: {},
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    this.stored.push({ ...content, prevHash, hash: hashEvent(prevHash, content) });
  }
}

describe('AuditTrail.append', () => {
  let events: FakeEvents;
  let conflicts: { inc: jest.Mock };
  let trail: AuditTrail;

  beforeEach(() => {
    events = new FakeEvents();
    conflicts = { inc: jest.fn() };
    const clear = { seal: (parts: object) => Promise.resolve(parts) };
    trail = new AuditTrail(
      events as unknown as Model<AuditEvent>,
      conflicts as unknown as Counter,
      clear as unknown as AuditPersonalData,
    );
  });

  it('starts at seq 1 after the genesis hash and remembers its own head', async () => {
    const first = await trail.append({ type: 'user_created', target: { userId: 'u1' } });
    const second = await trail.append({ type: 'login_failed' });
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, outcome: 'success' });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, outcome: 'failure' });
    expect(events.headReads).toBe(1);
  });

  it('re-reads the head and retries when another instance took the number', async () => {
    await trail.append({ type: 'user_created' });
    events.rivalAppendsBeforeInsert = 2;
    const event = await trail.append({ type: 'file_downloaded', target: { fileId: 'f1' } });
    expect(event.seq).toBe(4);
    expect(event.prevHash).toBe(events.stored[2].hash);
    expect(conflicts.inc).toHaveBeenCalledTimes(2);
  });

  it('serialises its own appends, so one instance never collides with itself', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        trail.append({ type: 'file_downloaded', details: { i } }),
      ),
    );
    expect(events.stored.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(conflicts.inc).not.toHaveBeenCalled();
  });

  it('gives up after a bounded number of lost races, as a 503-worthy database problem', async () => {
    events.rivalAppendsBeforeInsert = Number.POSITIVE_INFINITY;
    await expect(trail.append({ type: 'user_created' })).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect(conflicts.inc).toHaveBeenCalledTimes(25);
  }, 20_000);

  it('stores only defined values and refuses what it cannot hash', async () => {
    const event = await trail.append({
      type: 'link_downloaded',
      actor: { linkId: 'l1', userId: undefined, ip: '' },
      requestId: '',
      // Callers in plain JavaScript, or with optional values, can pass undefined.
      details: { kept: 1, dropped: undefined } as unknown as AuditDetails,
    });
    expect(events.stored[0]).toEqual({
      seq: 1,
      at: expect.any(Date),
      type: 'link_downloaded',
      actor: { linkId: 'l1' },
      target: {},
      outcome: 'success',
      requestId: undefined,
      details: { kept: 1 },
      prevHash: GENESIS_HASH,
      hash: event.hash,
    });
    await expect(
      trail.append({ type: 'user_created', details: { bad: Number.NaN } }),
    ).rejects.toThrow(TypeError);
    await expect(trail.append({ type: 'coffee_made' as never })).rejects.toThrow(/unknown/);
  });
});
