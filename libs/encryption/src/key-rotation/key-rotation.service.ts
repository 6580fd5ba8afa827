import { Inject, Injectable, Logger } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import { DependencyUnavailableError } from '@strongroom/common';
import type { KeyProviderName } from '@strongroom/config';
import { type KeyWrapper, providerOf } from '../key-wrapping/key-wrapper.port';
import { KEY_WRAPPER } from '../key-wrapping/key-wrapping.tokens';
import type { RoutingKeyWrapper } from '../key-wrapping/routing.key-wrapper';
import type { KeyRef, SealedKey, SealedKeyStore } from './sealed-key-store';

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
  /** KEY_PROVIDER: where the data keys of files and uploads now are. */
  currentProvider: KeyProviderName;
  currentKeyId: string;
  /** The same counts for each kind of record. */
  byKind: Record<string, KeyRotationProgress>;
}

const BATCH_SIZE = 200;

/**
 * Re-wraps every seal (file data keys, upload keys, second-factor secrets, …) under the current
 * key-encryption key of the current provider, from whichever provider sealed it (local to
 * aws-kms and back); blobs are not touched. Modules register their sealed
 * records at start-up. Each record is replaced only if it still holds the seal that was read, so
 * a run is safe next to a running server and another run, and an interrupted run is resumed by
 * running it again.
 */
@Injectable()
export class KeyRotation {
  private readonly logger = new Logger('KeyRotation');
  private readonly stores: SealedKeyStore[] = [];

  constructor(
    @Inject(KEY_WRAPPER) private readonly keys: RoutingKeyWrapper,
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
    const currentProvider = this.keys.provider;
    const currentKeyId = await this.keys.resolveCurrentKeyId();
    const local = this.keys.adapter('local');
    const targets = new Map<SealedKeyStore, { wrapper: KeyWrapper; ref: KeyRef }>();
    const byKind: Record<string, KeyRotationProgress> = {};
    for (const store of this.stores) {
      const target = store.localOnly
        ? { wrapper: local, ref: { provider: 'local' as const, kekId: local.currentKeyId } }
        : { wrapper: this.keys, ref: { provider: currentProvider, kekId: currentKeyId } };
      targets.set(store, target);
      byKind[store.kind] = {
        rewrapped: 0,
        skipped: 0,
        failed: 0,
        total: await store.countNotUnder(target.ref),
      };
    }
    const overall = () => sumOf(Object.values(byKind));
    for (const store of this.stores) {
      const progress = byKind[store.kind];
      const target = targets.get(store)!;
      let afterId: string | undefined;
      for (;;) {
        const batch = await store.nextNotUnder(target.ref, afterId, BATCH_SIZE);
        if (batch.length === 0) break;
        for (const sealed of batch) await this.rewrapOne(store, sealed, target, progress);
        afterId = batch[batch.length - 1].id;
        onProgress?.(overall());
      }
    }
    const report = { currentProvider, currentKeyId, ...overall(), byKind };
    await this.events.record({
      type: 'keys_rotated',
      outcome: report.failed === 0 ? 'success' : 'failure',
      details: {
        currentProvider,
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
    target: { wrapper: KeyWrapper; ref: KeyRef },
    progress: KeyRotationProgress,
  ): Promise<void> {
    let rewrapped;
    try {
      const secret = await this.keys.unwrap(sealed, sealed.binding);
      try {
        rewrapped = await target.wrapper.wrap(secret, sealed.binding);
      } finally {
        secret.fill(0);
      }
    } catch (error) {
      // Every record would fail the same way: stop, and let the next run resume.
      if (error instanceof DependencyUnavailableError) throw error;
      progress.failed += 1;
      this.logger.warn(
        `${store.kind}, record ${sealed.id} (${providerOf(sealed)} key '${sealed.kekId}'): ${(error as Error).message}`,
      );
      return;
    }
    if (await store.replace(sealed, rewrapped)) progress.rewrapped += 1;
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
