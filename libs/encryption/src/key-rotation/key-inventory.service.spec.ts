import { randomBytes } from 'node:crypto';
import type { SecurityEventsService } from '@strongroom/audit';
import { KeyRing } from '../key-ring';
import { DataKeyCache } from '../key-wrapping/data-key.cache';
import { LocalKeyWrapper } from '../key-wrapping/local.key-wrapper';
import { RoutingKeyWrapper } from '../key-wrapping/routing.key-wrapper';
import type { KeyServiceMetrics } from '../key-wrapping/key-service.metrics';
import { KeyInventory } from './key-inventory.service';
import { KeyRotation } from './key-rotation.service';
import type { SealedKey, SealedKeyStore } from './sealed-key-store';

const old = { id: 'old', key: randomBytes(32) };
const current = { id: 'current', key: randomBytes(32) };

function sealed(ring: KeyRing, id: string): SealedKey {
  return { id, binding: `binding-${id}`, ...ring.wrap(randomBytes(32), `binding-${id}`) };
}

function storeOf(kind: string, records: SealedKey[]): SealedKeyStore {
  return {
    kind,
    countNotUnder: () => Promise.resolve(0),
    nextNotUnder: () => Promise.resolve([]),
    localOnly: false,
    replace: () => Promise.resolve(false),
    onePerKey: () =>
      Promise.resolve(
        records.filter((r, i) => records.findIndex((o) => o.kekId === r.kekId) === i),
      ),
  };
}

describe('KeyInventory', () => {
  const inventoryWith = (ring: KeyRing, ...stores: SealedKeyStore[]) => {
    const local = new LocalKeyWrapper(ring);
    const wrapper = new RoutingKeyWrapper(
      local,
      new Map([['local', local]]),
      new DataKeyCache({ ttlMs: 0, maxEntries: 0 }),
      {
        callTimer: () => () => undefined,
        cacheLookup: () => undefined,
      } as unknown as KeyServiceMetrics,
    );
    const rotation = new KeyRotation(wrapper, {} as SecurityEventsService);
    stores.forEach((store) => rotation.register(store));
    return new KeyInventory(rotation, ring, wrapper);
  };

  it('lists one probe per provider and key id, across every kind of sealed record', async () => {
    const ring = new KeyRing([current, old]);
    const oldRing = new KeyRing([old]);
    const inventory = inventoryWith(
      ring,
      storeOf('file data keys', [sealed(oldRing, 'f1'), sealed(oldRing, 'f2'), sealed(ring, 'f3')]),
      storeOf('TOTP secrets', [sealed(ring, 't1')]),
    );
    const probes = await inventory.probes();
    expect(probes.map(({ provider, keyId, kind }) => ({ provider, keyId, kind }))).toEqual([
      { provider: 'local', keyId: 'old', kind: 'file data keys' },
      { provider: 'local', keyId: 'current', kind: 'file data keys' },
    ]);
    await expect(inventory.unopenable(probes)).resolves.toEqual([]);
  });

  it('names the key ids another configuration lacks or holds with another value', async () => {
    const ring = new KeyRing([current, old]);
    const probes = await inventoryWith(
      ring,
      storeOf('file data keys', [sealed(new KeyRing([old]), 'f1'), sealed(ring, 'f2')]),
    ).probes();
    const elsewhere = new KeyRing([{ id: 'current', key: randomBytes(32) }]);
    await expect(inventoryWith(elsewhere).unopenable(probes)).resolves.toEqual([
      { provider: 'local', keyId: 'old', kind: 'file data keys', problem: 'missing' },
      { provider: 'local', keyId: 'current', kind: 'file data keys', problem: 'different' },
    ]);
  });
});
