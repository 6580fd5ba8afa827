import { Injectable } from '@nestjs/common';

export type UserErasureStep = (userId: string) => Promise<void>;

/**
 * What else goes when a user is deleted (right to erasure). Modules owning user data (files,
 * shares, links, sessions) register a step at start-up; each must be idempotent, because a
 * deletion interrupted half-way is finished by running it again.
 */
@Injectable()
export class UserErasureRegistry {
  private readonly steps = new Map<string, UserErasureStep>();

  register(name: string, step: UserErasureStep): void {
    if (this.steps.has(name)) throw new Error(`user erasure step '${name}' is registered twice`);
    this.steps.set(name, step);
  }

  async eraseAll(userId: string): Promise<void> {
    for (const step of this.steps.values()) await step(userId);
  }
}
