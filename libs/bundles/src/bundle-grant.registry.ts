import { Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';

/**
 * A way in which a user receives another user's bundle (a share with them or their group). A
 * source only says which bundles reach the user; which of a bundle's files they may read is still
 * FileAccessPolicy's answer.
 */
export interface BundleGrantSource {
  /** The bundles that reach the user now, directly or through a group they belong to now. */
  bundlesReaching(userId: string): Promise<Types.ObjectId[]>;
}

/** Grant sources registered at start-up by the modules that own them (sharing). */
@Injectable()
export class BundleGrantRegistry {
  private readonly sources = new Map<string, BundleGrantSource>();

  register(name: string, source: BundleGrantSource): void {
    if (this.sources.has(name))
      throw new Error(`bundle grant source '${name}' is registered twice`);
    this.sources.set(name, source);
  }

  async bundlesReaching(userId: string): Promise<Types.ObjectId[]> {
    const reached = await Promise.all(
      [...this.sources.values()].map((source) => source.bundlesReaching(userId)),
    );
    return reached.flat();
  }
}
