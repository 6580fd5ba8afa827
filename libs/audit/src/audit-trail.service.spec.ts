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

  /** Round trips that write events. */
  inserts = 0;
  batches: number[][] = [];
  /** Another instance appends just before this seq of ours is inserted. */
  rivalBeforeSeq?: number;

  /** As MongoDB's ordered insert: stops at the first taken seq, keeping what came before. */
  insertMany(events: AuditEvent[], options: { ordered: boolean }) {
    expect(options.ordered).toBe(true);
    this.inserts += 1;
    this.batches.push(events.map((event) => event.seq));
    if (this.rivalAppendsBeforeInsert > 0) {
      this.rivalAppendsBeforeInsert -= 1;
      this.appendRival();
    }
    for (const event of events) {
      if (event.seq === this.rivalBeforeSeq) {
        this.rivalBeforeSeq = undefined;
        this.appendRival();
      }
      if (this.stored.some((existing) => existing.seq === event.seq)) {
        return Promise.reject(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
      }
      this.stored.push(event);
    }
    return Promise.resolve(events);
  }

  create(event: AuditEvent) {
    return this.insertMany([event], { ordered: true }).then(() => event);
  }

  find(filter: { seq: { $in: number[] } }) {
    const query = {
      lean: () => query,
      exec: () =>
        Promise.resolve(this.stored.filter((event) => filter.seq.$in.includes(event.seq))),
    };
    return query;
  }

  /** Every event names the hash of the one before it, and the numbers run 1, 2, 3, … */
  expectIntactChain() {
    this.stored.forEach((event, index) => {
      expect(event.seq).toBe(index + 1);
      expect(event.prevHash).toBe(index === 0 ? GENESIS_HASH : this.stored[index - 1].hash);
    });
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

  it('writes the appends that wait together in one insert, chained in arrival order', async () => {
    const appended = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        trail.append({ type: 'file_downloaded', details: { i } }),
      ),
    );
    // The first append goes alone; the other 31 arrived while it was written.
    expect(events.inserts).toBe(2);
    expect(appended.map((event) => event.seq)).toEqual(events.stored.map((event) => event.seq));
    expect(appended.map((event) => event.details)).toEqual(
      Array.from({ length: 32 }, (_, i) => ({ i })),
    );
    events.expectIntactChain();
  });

  it('keeps the part of a batch stored before a rival took a number, and chains the rest after it', async () => {
    await trail.append({ type: 'user_created' });
    events.rivalBeforeSeq = 5;
    const batch = Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        trail.append({ type: 'file_downloaded', details: { i } }),
      ),
    );
    const appended = await batch;
    // Ours 2, 3, 4 (with the first at 1), the rival's 5, then ours again from 6.
    expect(appended.map((event) => event.seq)).toEqual([2, 3, 4, 6, 7, 8]);
    expect(events.batches.slice(-2)).toEqual([
      [3, 4, 5, 6, 7],
      [6, 7, 8],
    ]);
    expect(conflicts.inc).toHaveBeenCalledTimes(1);
    for (const event of appended) expect(events.stored[event.seq - 1].hash).toBe(event.hash);
    events.expectIntactChain();
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
