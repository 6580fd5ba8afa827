export type ErasureStep = (id: string) => Promise<void>;

/**
 * What else goes when a record is deleted. Modules owning dependent data register a step at
 * start-up; each must be idempotent, because a deletion interrupted half-way is finished by
 * running it again. Subclassed per kind of record so each is its own injectable.
 */
export abstract class ErasureRegistry {
  private readonly steps = new Map<string, ErasureStep>();

  register(name: string, step: ErasureStep): void {
    if (this.steps.has(name)) throw new Error(`erasure step '${name}' is registered twice`);
    this.steps.set(name, step);
  }

  async eraseAll(id: string): Promise<void> {
    for (const step of this.steps.values()) await step(id);
  }
}
