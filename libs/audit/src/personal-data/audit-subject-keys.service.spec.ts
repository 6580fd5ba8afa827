import type { ModuleRef } from '@nestjs/core';
import type { Model } from 'mongoose';
import type { AuditKeyWrapper, WrappedSubjectKey } from './audit-key-wrapper.port';
import { AuditSubjectKeyCache } from './audit-subject-key.cache';
import type { AuditSubjectKeyCacheSync } from './audit-subject-key-cache.sync';
import type { AuditSubjectKey } from './audit-subject-key.schema';
import { AuditSubjectKeys } from './audit-subject-keys.service';

const subject = (n: number) => `6650f1c2a1b2c3d4e5f6${String(n).padStart(4, '0')}`;

/** The collection in memory, counting its read round trips; each read settles when released. */
class FakeKeys {
  readonly stored = new Map<string, AuditSubjectKey>();
  reads = 0;
  private readonly held: (() => void)[] = [];

  init = jest.fn(() => Promise.resolve());

  private query(answer: () => unknown) {
    const query = {
      lean: () => query,
      exec: () => {
        this.reads += 1;
        const snapshot = answer();
        return new Promise((resolve) => this.held.push(() => resolve(snapshot)));
      },
    };
    return query;
  }

  find(filter: { subjectId: { $in: string[] } }) {
    return this.query(() => filter.subjectId.$in.flatMap((id) => this.stored.get(id) ?? []));
  }

  findOne(filter: { subjectId: string }) {
    return this.query(() => this.stored.get(filter.subjectId) ?? null);
  }

  create(record: AuditSubjectKey) {
    if (this.stored.has(record.subjectId)) {
      return Promise.reject(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
    }
    this.stored.set(record.subjectId, { ...record });
    return Promise.resolve(record);
  }

  /** Answers every read under way. */
  async release(): Promise<void> {
    while (this.held.length > 0) {
      for (const settle of this.held.splice(0)) settle();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

const wrapper: AuditKeyWrapper = {
  wrap: (key: Buffer): WrappedSubjectKey => ({ kekId: 'k1', wrappedKey: key.toString('base64') }),
  unwrap: (wrapped: WrappedSubjectKey) => Buffer.from(wrapped.wrappedKey, 'base64'),
};

describe('AuditSubjectKeys', () => {
  let model: FakeKeys;
  let keys: AuditSubjectKeys;
  let cache: AuditSubjectKeyCache;
  let live: boolean;

  beforeEach(async () => {
    model = new FakeKeys();
    live = true;
    cache = new AuditSubjectKeyCache({ ttlMs: 60_000, maxEntries: 100, live: () => live });
    keys = new AuditSubjectKeys(
      model as unknown as Model<AuditSubjectKey>,
      {
        get: () => wrapper,
      } as unknown as ModuleRef,
      { cache } as AuditSubjectKeyCacheSync,
    );
    await keys.onModuleInit();
    for (let n = 0; n < 20; n++) {
      model.stored.set(subject(n), {
        subjectId: subject(n),
        kekId: 'k1',
        wrappedKey: Buffer.alloc(32, n).toString('base64'),
        createdAt: new Date(),
      });
    }
  });

  it('looks up the keys of events recorded at once in shared round trips, each caller its own copy', async () => {
    const first = keys.sealingKey(subject(0));
    // Asked while the first read runs: these wait and go together in the next.
    const rest = Array.from({ length: 19 }, (_, n) => keys.sealingKey(subject(n + 1)));
    const again = keys.sealingKey(subject(5));
    await model.release();
    const found = await Promise.all([first, ...rest, again]);

    expect(model.reads).toBe(2);
    found.slice(0, 20).forEach((key, n) => expect(key).toEqual(Buffer.alloc(32, n)));
    found[20]?.fill(0);
    expect(found[5]).toEqual(Buffer.alloc(32, 5));
  });

  it('answers a caller only from a read begun after it asked: an erasure just before bites', async () => {
    const before = keys.sealingKey(subject(3));
    await new Promise((resolve) => setImmediate(resolve));
    // The first read has begun; the subject is erased; then another event about them is recorded.
    model.stored.set(subject(3), {
      subjectId: subject(3),
      createdAt: new Date(),
      erasedAt: new Date(),
    });
    const after = keys.sealingKey(subject(3));
    await model.release();

    expect(await before).toEqual(Buffer.alloc(32, 3));
    expect(await after).toBeUndefined();
  });

  it('creates the key of a subject seen for the first time', async () => {
    const created = keys.sealingKey(subject(99));
    await model.release();
    const key = await created;

    expect(key).toHaveLength(32);
    expect(model.stored.get(subject(99))?.wrappedKey).toBe(key?.toString('base64'));
  });

  /** The subject's key as sealing would get it, the reads released as they come. */
  const sealingKeyOf = async (n: number) => {
    const key = keys.sealingKey(subject(n));
    await model.release();
    return key;
  };
  const erase = (n: number) =>
    model.stored.set(subject(n), {
      subjectId: subject(n),
      createdAt: new Date(),
      erasedAt: new Date(),
    });

  it("reads a subject's key once, then seals from the cached record until a write drops it", async () => {
    expect(await sealingKeyOf(7)).toEqual(Buffer.alloc(32, 7));
    expect(await sealingKeyOf(7)).toEqual(Buffer.alloc(32, 7));
    expect(model.reads).toBe(1);

    erase(7);
    // What AuditSubjectKeyCacheSync hands over for the erasure's write, from any instance.
    cache.invalidate({ subjects: [subject(7)] });
    expect(await sealingKeyOf(7)).toBeUndefined();
    expect(model.reads).toBe(2);
  });

  it('does not cache what a read begun before an invalidation found', async () => {
    const before = keys.sealingKey(subject(4));
    await new Promise((resolve) => setImmediate(resolve));
    erase(4);
    cache.invalidate({ subjects: [subject(4)] });
    await model.release();
    expect(await before).toEqual(Buffer.alloc(32, 4));
    expect(await sealingKeyOf(4)).toBeUndefined();
  });

  it('reads every time while it does not hear the other instances', async () => {
    live = false;
    await sealingKeyOf(2);
    await sealingKeyOf(2);
    expect(model.reads).toBe(2);
  });
});
