import { randomBytes } from 'node:crypto';
import type { SecurityEventsService } from '@strongroom/audit';
import { KeyRing } from '../key-ring';
import { DataKeyCache } from '../key-wrapping/data-key.cache';
import type { KeyServiceMetrics } from '../key-wrapping/key-service.metrics';
import type { WrappedKey } from '../key-wrapping/key-wrapper.port';
import { LocalKeyWrapper } from '../key-wrapping/local.key-wrapper';
import { RoutingKeyWrapper } from '../key-wrapping/routing.key-wrapper';
import { KeyRotation } from './key-rotation.service';
import type { KeyRef, SealedKey, SealedKeyStore } from './sealed-key-store';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

/** An in-memory store; `lostRaces` ids are replaced by "another run" just before this one writes. */
class MemoryStore implements SealedKeyStore {
  readonly localOnly = false;

  constructor(
    readonly kind: string,
    readonly records: SealedKey[],
    private readonly lostRaces = new Set<string>(),
  ) {}

  countNotUnder(current: KeyRef) {
    return Promise.resolve(this.records.filter((record) => record.kekId !== current.kekId).length);
  }

  nextNotUnder(current: KeyRef, afterId: string | undefined, limit: number) {
    return Promise.resolve(
      this.records
        .filter((record) => record.kekId !== current.kekId && (!afterId || record.id > afterId))
        .slice(0, limit)
        .map((record) => ({ ...record })),
    );
  }

  replace(previous: SealedKey, next: WrappedKey) {
    if (this.lostRaces.has(previous.id)) return Promise.resolve(false);
    const record = this.records.find((candidate) => candidate.id === previous.id)!;
    Object.assign(record, next);
    return Promise.resolve(true);
  }
}

function sealedUnderK1(count: number, prefix: string): SealedKey[] {
  const ring = new KeyRing([k1]);
  return Array.from({ length: count }, (_, index) => {
    const id = `${prefix}${String(index).padStart(4, '0')}`;
    return { id, binding: `binding-${id}`, ...ring.wrap(randomBytes(32), `binding-${id}`) };
  });
}

describe('KeyRotation', () => {
  const record = jest.fn();
  const rotationWith = (...stores: SealedKeyStore[]) => {
    const local = new LocalKeyWrapper(new KeyRing([k2, k1]));
    const keys = new RoutingKeyWrapper(
      local,
      new Map([['local', local]]),
      new DataKeyCache({ ttlMs: 0, maxEntries: 0 }),
      {
        callTimer: () => () => undefined,
        cacheLookup: () => undefined,
      } as unknown as KeyServiceMetrics,
    );
    const rotation = new KeyRotation(keys, {
      record,
    } as unknown as SecurityEventsService);
    stores.forEach((store) => rotation.register(store));
    return rotation;
  };

  beforeEach(() => record.mockReset());

  it('re-wraps every registered kind in batches, counting each kind and reporting progress per batch', async () => {
    const files = new MemoryStore('file data keys', sealedUnderK1(450, 'f'));
    const secrets = new MemoryStore('TOTP secrets', sealedUnderK1(3, 's'));
    const progress: number[] = [];
    const report = await rotationWith(files, secrets).rotate((step) =>
      progress.push(step.rewrapped),
    );
    expect(report).toMatchObject({ currentKeyId: 'k2', rewrapped: 453, total: 453, failed: 0 });
    expect(report.byKind['TOTP secrets']).toMatchObject({ rewrapped: 3, total: 3 });
    expect(progress).toEqual([200, 400, 450, 453]);
    const onlyK2 = new KeyRing([k2]);
    for (const sealed of [...files.records, ...secrets.records]) {
      expect(sealed.kekId).toBe('k2');
      expect(onlyK2.unwrap(sealed, sealed.binding)).toHaveLength(32);
    }
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'keys_rotated', outcome: 'success' }),
    );
  });

  it('counts a record another run re-wrapped first as skipped, and one it cannot open as failed', async () => {
    const [raced, unopenable, fine] = sealedUnderK1(3, 'r');
    unopenable.binding = 'moved to another record';
    const store = new MemoryStore('file data keys', [raced, unopenable, fine], new Set([raced.id]));
    const report = await rotationWith(store).rotate();
    expect(report).toMatchObject({ rewrapped: 1, skipped: 1, failed: 1, total: 3 });
    expect(unopenable.kekId).toBe('k1');
    expect(record).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'failure' }));
  });
});
