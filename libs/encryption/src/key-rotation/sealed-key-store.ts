import type { WrappedKey } from '../key-ring';

/** A record's key or secret as the key ring sealed it, and what the seal is bound to. */
export interface SealedKey extends WrappedKey {
  id: string;
  binding: string;
}

/** Records sealed with the key ring that key rotation re-wraps under the current key. */
export interface SealedKeyStore {
  /** What the records hold, for reports and events: "file data keys". */
  readonly kind: string;
  countNotUnder(kekId: string): Promise<number>;
  /** The next records, in id order after `afterId`, whose seal is not under `kekId`. */
  nextNotUnder(kekId: string, afterId: string | undefined, limit: number): Promise<SealedKey[]>;
  /** Replaces the seal only if the record still holds `previous`: false when another run got there first or the record is gone. */
  replace(previous: SealedKey, next: WrappedKey): Promise<boolean>;
  /** One record for each key id its seals are under: what a backup's manifest probes with. */
  onePerKey?(): Promise<SealedKey[]>;
}
