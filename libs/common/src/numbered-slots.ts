import { isDuplicateKeyError } from './mongo-helpers';

/** A set of numbered slots kept as records under a unique index on (owner, number). */
export interface NumberedSlotStore<T> {
  /** How many slots are taken; with `below`, how many of the numbers 0…below-1. */
  taken(below?: number): Promise<number>;
  /** Inserts slot `slot`; rejects with a duplicate-key error when it is already taken. */
  insert(slot: number): Promise<T>;
}

/**
 * Takes the first free number below `limit`, or answers undefined when all are taken. Of several
 * callers that try the same number, on one instance or many, exactly one insert succeeds, so no
 * more than `limit` slots are ever held: no counter, no lock, and no update that the embedded
 * database (FerretDB) could lose under concurrency.
 *
 * Numbers given back leave gaps below the highest; a set that has reached `limit` finds them by
 * bisection (a few count queries even for a limit of a million). Correctness never depends on
 * that search: the unique index alone forbids doubles.
 */
export async function claimNumberedSlot<T>(
  store: NumberedSlotStore<T>,
  limit: number,
): Promise<T | undefined> {
  let slot: number | undefined = await store.taken();
  for (;;) {
    if (slot >= limit) {
      slot = await firstFreeSlot(store, limit);
      if (slot === undefined) return undefined;
    }
    try {
      return await store.insert(slot);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      slot += 1; // someone else took this number: the next one is usually free
    }
  }
}

/** Fewer than m slots taken below m means a gap below m. */
async function firstFreeSlot(
  store: NumberedSlotStore<unknown>,
  limit: number,
): Promise<number | undefined> {
  if ((await store.taken(limit)) >= limit) return undefined;
  // Invariant: all of 0…full-1 are taken, and there is a gap below gapBelow.
  let [full, gapBelow] = [0, limit];
  while (gapBelow - full > 1) {
    const middle = Math.floor((full + gapBelow) / 2);
    if ((await store.taken(middle)) < middle) gapBelow = middle;
    else full = middle;
  }
  return full;
}
