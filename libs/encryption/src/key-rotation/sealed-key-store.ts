import type { KeyProviderName } from '@strongroom/config';
import type { WrappedKey } from '../key-wrapping/key-wrapper.port';

/** A record's key or secret as a key provider sealed it, and what the seal is bound to. */
export interface SealedKey extends WrappedKey {
  id: string;
  binding: string;
}

/** The provider and key id a rotation moves every seal to. */
export interface KeyRef {
  provider: KeyProviderName;
  kekId: string;
}

/** Records sealed by a key provider that key rotation re-wraps under the current key. */
export interface SealedKeyStore {
  /** What the records hold, for reports and events: "file data keys". */
  readonly kind: string;
  /**
   * Records that keep no provider beside their seal: they stay under ENCRYPTION_KEYS (local),
   * whatever KEY_PROVIDER says, because their readers open them without a round trip.
   */
  readonly localOnly: boolean;
  countNotUnder(current: KeyRef): Promise<number>;
  /** The next records, in id order after `afterId`, whose seal is not under `current`. */
  nextNotUnder(current: KeyRef, afterId: string | undefined, limit: number): Promise<SealedKey[]>;
  /** Replaces the seal only if the record still holds `previous`: false when another run got there first or the record is gone. */
  replace(previous: SealedKey, next: WrappedKey): Promise<boolean>;
  /** One record for each key id its seals are under: what a backup's manifest probes with. */
  onePerKey?(): Promise<SealedKey[]>;
}
