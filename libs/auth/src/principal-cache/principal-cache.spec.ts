import { PrincipalCache } from './principal-cache';

const alice = { id: 'u1', email: 'alice@example.com', role: 'user' as const, sessionId: 's1' };
const aliceOnPhone = { ...alice, sessionId: 's2' };
const bob = { id: 'u2', email: 'bob@example.com', role: 'user' as const, sessionId: 's3' };

describe('PrincipalCache', () => {
  let now = 0;
  let cache: PrincipalCache;
  beforeEach(() => {
    now = 1_000;
    cache = new PrincipalCache(30_000, 3, () => now);
  });

  it('answers for the session, user and token version it stored, until its age runs out', () => {
    cache.set(alice, 4, cache.generation);
    expect(cache.get('s1', 'u1', 4)).toEqual(alice);
    expect(cache.get('s1', 'u1', 5)).toBeUndefined();
    expect(cache.get('s1', 'u2', 4)).toBeUndefined();
    now += 30_000;
    expect(cache.get('s1', 'u1', 4)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops a session, every session of a user, or everything', () => {
    for (const principal of [alice, aliceOnPhone, bob]) cache.set(principal, 1, cache.generation);
    cache.invalidate({ sessions: ['s3'] });
    expect(cache.get('s3', 'u2', 1)).toBeUndefined();
    expect(cache.get('s1', 'u1', 1)).toEqual(alice);
    cache.invalidate({ users: ['u1'] });
    expect([cache.get('s1', 'u1', 1), cache.get('s2', 'u1', 1)]).toEqual([undefined, undefined]);
    cache.set(bob, 1, cache.generation);
    cache.invalidate({ all: true });
    expect(cache.size).toBe(0);
  });

  it('does not store what a lookup read before something was dropped', () => {
    const before = cache.generation;
    cache.invalidate({ users: ['u1'] });
    cache.set(alice, 1, before);
    expect(cache.get('s1', 'u1', 1)).toBeUndefined();
  });

  it('keeps at most its maximum, forgetting the oldest', () => {
    const principals = ['a', 'b', 'c', 'd'].map((s) => ({ ...alice, sessionId: s }));
    for (const principal of principals) cache.set(principal, 1, cache.generation);
    expect(cache.size).toBe(3);
    expect(cache.get('a', 'u1', 1)).toBeUndefined();
    expect(cache.get('d', 'u1', 1)).toEqual(principals[3]);
  });

  it('stores nothing with a zero lifetime', () => {
    const off = new PrincipalCache(0, 10);
    off.set(alice, 1, off.generation);
    expect(off.get('s1', 'u1', 1)).toBeUndefined();
  });
});
