import { Inject, Injectable } from '@nestjs/common';
import type { KeyProviderName } from '@strongroom/config';
import {
  ContentIntegrityError,
  UnconfiguredKeyProviderError,
  UnknownEncryptionKeyError,
} from '../encryption.errors';
import { KeyRing } from '../key-ring';
import type { KeyWrapper } from '../key-wrapping/key-wrapper.port';
import { KEY_WRAPPER } from '../key-wrapping/key-wrapping.tokens';
import { KeyRotation } from './key-rotation.service';

/**
 * Records from before key providers existed are `local` (ENCRYPTION_KEYS); a key id is unique
 * only within its provider, which is why the pair is what backups record.
 */
export const LOCAL_KEY_PROVIDER = 'local';

/** One sealed key under one key id: enough to prove later that a configuration can open that id. */
export interface KeyProbe {
  provider: string;
  keyId: string;
  /** What the sealed record holds: "file data keys". */
  kind: string;
  binding: string;
  wrappedKey: string;
}

export interface UnopenableKey {
  provider: string;
  keyId: string;
  kind: string;
  /** `missing`: no key with this id is configured; `different`: one is, with another value. */
  problem: 'missing' | 'different';
}

/** Which key ids the sealed records use, and whether the current configuration can open them. */
@Injectable()
export class KeyInventory {
  constructor(
    private readonly rotation: KeyRotation,
    private readonly keyRing: KeyRing,
    @Inject(KEY_WRAPPER) private readonly wrapper: KeyWrapper,
  ) {}

  /** One probe for each key id any registered kind of record is sealed under. */
  async probes(): Promise<KeyProbe[]> {
    const probes = new Map<string, KeyProbe>();
    for (const store of this.rotation.registered) {
      for (const sealed of (await store.onePerKey?.()) ?? []) {
        const provider = sealed.keyProvider ?? LOCAL_KEY_PROVIDER;
        const id = `${provider}:${sealed.kekId}`;
        if (probes.has(id)) continue;
        probes.set(id, {
          provider,
          keyId: sealed.kekId,
          kind: store.kind,
          binding: sealed.binding,
          wrappedKey: sealed.wrappedKey,
        });
      }
    }
    return [...probes.values()];
  }

  /**
   * The probes this configuration (or the given key ring, for local keys) cannot open, one unwrap
   * per key id; a key service that cannot be reached is an error, not a missing key.
   */
  async unopenable(
    probes: readonly KeyProbe[],
    ring: KeyRing = this.keyRing,
  ): Promise<UnopenableKey[]> {
    const failed: UnopenableKey[] = [];
    for (const probe of probes) {
      const problem =
        probe.provider === LOCAL_KEY_PROVIDER
          ? tryLocal(ring, probe)
          : await this.tryProvider(probe);
      if (problem) {
        failed.push({ provider: probe.provider, keyId: probe.keyId, kind: probe.kind, problem });
      }
    }
    return failed;
  }

  private async tryProvider(probe: KeyProbe): Promise<UnopenableKey['problem'] | undefined> {
    const wrapped = {
      keyProvider: probe.provider as KeyProviderName,
      kekId: probe.keyId,
      wrappedKey: probe.wrappedKey,
    };
    try {
      (await this.wrapper.unwrap(wrapped, probe.binding)).fill(0);
      return undefined;
    } catch (error) {
      if (error instanceof UnconfiguredKeyProviderError) return 'missing';
      if (error instanceof UnknownEncryptionKeyError) return 'missing';
      if (error instanceof ContentIntegrityError) return 'different';
      throw error;
    }
  }
}

function tryLocal(ring: KeyRing, probe: KeyProbe): UnopenableKey['problem'] | undefined {
  if (!ring.has(probe.keyId)) return 'missing';
  try {
    ring.unwrap({ kekId: probe.keyId, wrappedKey: probe.wrappedKey }, probe.binding).fill(0);
    return undefined;
  } catch (error) {
    if (error instanceof UnknownEncryptionKeyError) return 'missing';
    if (error instanceof ContentIntegrityError) return 'different';
    throw error;
  }
}
