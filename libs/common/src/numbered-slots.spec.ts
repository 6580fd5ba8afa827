import { DUPLICATE_KEY_ERROR } from './mongo-helpers';
import { claimNumberedSlot, type NumberedSlotStore } from './numbered-slots';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Slots in memory, with a tick before every answer so that concurrent callers interleave. */
class MemorySlots implements NumberedSlotStore<number> {
  readonly slots = new Set<number>();
  queries = 0;

  async taken(below = Infinity): Promise<number> {
    this.queries += 1;
    await tick();
    return [...this.slots].filter((slot) => slot < below).length;
  }

  async insert(slot: number): Promise<number> {
    await tick();
    if (this.slots.has(slot))
      throw Object.assign(new Error('E11000'), { code: DUPLICATE_KEY_ERROR });
    this.slots.add(slot);
    return slot;
  }
}

describe('claimNumberedSlot', () => {
  it('hands out 0, 1, 2… and nothing at the limit', async () => {
    const store = new MemorySlots();
    const claims = [];
    for (let i = 0; i < 4; i++) claims.push(await claimNumberedSlot(store, 3));
    expect(claims).toEqual([0, 1, 2, undefined]);
  });

  it('gives concurrent callers distinct slots and never more than the limit', async () => {
    const store = new MemorySlots();
    const claims = await Promise.all(Array.from({ length: 50 }, () => claimNumberedSlot(store, 5)));
    expect(claims.filter((claim) => claim !== undefined).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(store.slots.size).toBe(5);
  });

  it('fills a gap left by a slot given back, once the numbers above are taken', async () => {
    const store = new MemorySlots();
    for (const slot of [0, 1, 2, 4]) store.slots.add(slot);
    expect(await claimNumberedSlot(store, 5)).toBe(3);
    store.slots.delete(1);
    expect(await claimNumberedSlot(store, 5)).toBe(1);
    expect(await claimNumberedSlot(store, 5)).toBeUndefined();
  });

  it('finds the one free slot of a large set with a few queries', async () => {
    const store = new MemorySlots();
    for (let slot = 0; slot < 100_000; slot++) if (slot !== 31_337) store.slots.add(slot);
    expect(await claimNumberedSlot(store, 100_000)).toBe(31_337);
    expect(store.queries).toBeLessThan(25);
  });

  it('passes on errors other than a taken slot', async () => {
    const store = new MemorySlots();
    store.insert = () => Promise.reject(new Error('database down'));
    await expect(claimNumberedSlot(store, 3)).rejects.toThrow('database down');
  });
});
