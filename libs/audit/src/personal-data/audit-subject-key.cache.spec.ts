import { AuditSubjectKeyCache } from './audit-subject-key.cache';

const record = (subjectId: string) => ({
  subjectId,
  kekId: 'k1',
  wrappedKey: `wrapped-${subjectId}`,
  createdAt: new Date(0),
});

describe('AuditSubjectKeyCache', () => {
  let now: number;
  let live: boolean;
  let cache: AuditSubjectKeyCache;
  beforeEach(() => {
    now = 1_000;
    live = true;
    cache = new AuditSubjectKeyCache({
      ttlMs: 60_000,
      maxEntries: 3,
      live: () => live,
      now: () => now,
    });
  });

  it('answers a stored record until its age runs out', () => {
    cache.set(record('a'), cache.generation);
    expect(cache.get('a')).toEqual(record('a'));
    now += 60_001;
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops some subjects, or everything', () => {
    for (const id of ['a', 'b', 'c']) cache.set(record(id), cache.generation);
    cache.invalidate({ subjects: ['b'] });
    expect([cache.get('a'), cache.get('b')]).toEqual([record('a'), undefined]);
    cache.invalidate({ all: true });
    expect(cache.size).toBe(0);
  });

  it('does not store what a lookup read before something was dropped', () => {
    const before = cache.generation;
    cache.invalidate({ subjects: ['x'] });
    cache.set(record('a'), before);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most its maximum, forgetting the least recently used', () => {
    for (const id of ['a', 'b', 'c', 'd']) cache.set(record(id), cache.generation);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toEqual(record('d'));
  });

  it('neither answers nor stores while it does not hear the other instances', () => {
    cache.set(record('a'), cache.generation);
    live = false;
    expect(cache.get('a')).toBeUndefined();
    cache.set(record('b'), cache.generation);
    live = true;
    expect(cache.get('b')).toBeUndefined();
  });

  it('stores nothing with a zero lifetime', () => {
    const off = new AuditSubjectKeyCache({ ttlMs: 0, maxEntries: 10, live: () => true });
    off.set(record('a'), off.generation);
    expect([off.enabled, off.get('a')]).toEqual([false, undefined]);
  });
});
