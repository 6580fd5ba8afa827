import { Injectable, Logger } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import { KeyRing } from '../key-ring';
import type { SealedKey, SealedKeyStore } from './sealed-key-store';

export interface KeyRotationProgress {
  /** Seals now under the current key by this run. */
  rewrapped: number;
  /** Records another process re-wrapped or deleted first: nothing to do. */
  skipped: number;
  /** Seals that could not be opened (their key is missing or wrong); left as they were. */
  failed: number;
  /** Records still under an older key when the run started. */
  total: number;
}

export interface KeyRotationReport extends KeyRotationProgress {
  currentKeyId: string;
  /** The same counts for each kind of record. */
  byKind: Record<string, KeyRotationProgress>;
}

const BATCH_SIZE = 200;

/**
 * Re-wraps every seal the key ring made (file data keys, upload keys, second-factor secrets, …)
 * under the current key-encryption key; blobs are not touched. Modules register their sealed
 * records at start-up. Each record is replaced only if it still holds the seal that was read, so
 * a run is safe next to a running server and another run, and an interrupted run is resumed by
 * running it again.
 */
@Injectable()
export class KeyRotation {
  private readonly logger = new Logger('KeyRotation');
  private readonly stores: SealedKeyStore[] = [];

  constructor(
    private readonly keyRing: KeyRing,
    private readonly events: SecurityEventsService,
  ) {}

  register(store: SealedKeyStore): void {
    this.stores.push(store);
  }

  /** Every kind of sealed record the modules registered, for the key inventory of backups. */
  get registered(): readonly SealedKeyStore[] {
    return this.stores;
  }

  async rotate(onProgress?: (progress: KeyRotationProgress) => void): Promise<KeyRotationReport> {
    const currentKeyId = this.keyRing.currentId;
    const byKind: Record<string, KeyRotationProgress> = {};
    for (const store of this.stores) {
      byKind[store.kind] = {
        rewrapped: 0,
        skipped: 0,
        failed: 0,
        total: await store.countNotUnder(currentKeyId),
      };
    }
    const overall = () => sumOf(Object.values(byKind));
    for (const store of this.stores) {
      const progress = byKind[store.kind];
      let afterId: string | undefined;
      for (;;) {
        const batch = await store.nextNotUnder(currentKeyId, afterId, BATCH_SIZE);
        if (batch.length === 0) break;
        for (const sealed of batch) await this.rewrapOne(store, sealed, progress);
        afterId = batch[batch.length - 1].id;
        onProgress?.(overall());
      }
    }
    const report = { currentKeyId, ...overall(), byKind };
    await this.events.record({
      type: 'keys_rotated',
      outcome: report.failed === 0 ? 'success' : 'failure',
      details: {
        currentKeyId,
        rewrapped: report.rewrapped,
        skipped: report.skipped,
        failed: report.failed,
        rewrappedByKind: Object.entries(byKind)
          .map(([kind, counts]) => `${kind}: ${counts.rewrapped}`)
          .join(', '),
      },
    });
    return report;
  }

  private async rewrapOne(
    store: SealedKeyStore,
    sealed: SealedKey,
    progress: KeyRotationProgress,
  ): Promise<void> {
    let rewrapped;
    try {
      rewrapped = this.keyRing.rewrap(sealed, sealed.binding);
    } catch (error) {
      progress.failed += 1;
      this.logger.warn(`${store.kind}, record ${sealed.id}: ${(error as Error).message}`);
      return;
    }
    if (rewrapped && (await store.replace(sealed, rewrapped))) progress.rewrapped += 1;
    else progress.skipped += 1;
  }
}

function sumOf(parts: KeyRotationProgress[]): KeyRotationProgress {
  return parts.reduce(
    (sum, part) => ({
      rewrapped: sum.rewrapped + part.rewrapped,
      skipped: sum.skipped + part.skipped,
      failed: sum.failed + part.failed,
      total: sum.total + part.total,
    }),
    { rewrapped: 0, skipped: 0, failed: 0, total: 0 },
  );
}
