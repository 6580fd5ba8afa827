import type { KeptRecord } from './deletion-held.error';

/** Returns what it had to keep (held or retained records), if anything. */
export type ErasureStep = (id: string) => Promise<void | readonly KeptRecord[]>;

/**
 * What else goes when a record is deleted. Modules owning dependent data register a step at
 * start-up; each must be idempotent, because a deletion interrupted half-way is finished by
 * running it again. Subclassed per kind of record so each is its own injectable.
 */
export abstract class ErasureRegistry {
  private steps = new Map<string, ErasureStep>();

  /**
   * `first` runs the step before those registered earlier: for a step that decides what must be
   * kept, while the data its decision reads (group memberships) has not been erased yet.
   */
  register(name: string, step: ErasureStep, position: 'first' | 'last' = 'last'): void {
    if (this.steps.has(name)) throw new Error(`erasure step '${name}' is registered twice`);
    if (position === 'last') this.steps.set(name, step);
    else this.steps = new Map([[name, step], ...this.steps]);
  }

  /** Runs every step, also after one kept something, and returns everything kept. */
  async eraseAll(id: string): Promise<KeptRecord[]> {
    const kept: KeptRecord[] = [];
    for (const step of this.steps.values()) kept.push(...((await step(id)) ?? []));
    return kept;
  }
}
