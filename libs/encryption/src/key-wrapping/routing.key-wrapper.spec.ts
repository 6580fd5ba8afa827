import { randomBytes } from 'node:crypto';
import { DependencyUnavailableError } from '@strongroom/common';
import type { KeyProviderName } from '@strongroom/config';
import { KeyRing } from '../key-ring';
import { UnconfiguredKeyProviderError } from '../encryption.errors';
import { DataKeyCache } from './data-key.cache';
import type { KeyServiceMetrics } from './key-service.metrics';
import type { KeyWrapper } from './key-wrapper.port';
import { LocalKeyWrapper } from './local.key-wrapper';
import { RoutingKeyWrapper } from './routing.key-wrapper';

function recordingMetrics() {
  const calls: string[] = [];
  const lookups: boolean[] = [];
  const metrics = {
    callTimer: (provider: string, operation: string) => (outcome: string) =>
      calls.push(`${provider} ${operation} ${outcome}`),
    cacheLookup: (hit: boolean) => lookups.push(hit),
  } as unknown as KeyServiceMetrics;
  return { metrics, calls, lookups };
}

describe('RoutingKeyWrapper', () => {
  const local = new LocalKeyWrapper(new KeyRing([{ id: 'k1', key: randomBytes(32) }]));

  it('unwraps a run of reads with one call to the provider, and counts hits and misses', async () => {
    const { metrics, calls, lookups } = recordingMetrics();
    const keys = new RoutingKeyWrapper(
      local,
      new Map([['local', local]]),
      new DataKeyCache({ ttlMs: 60_000, maxEntries: 10 }),
      metrics,
    );
    const { dataKey, wrapped } = await local.generateDataKey('file-1');
    const unwrap = jest.spyOn(local, 'unwrap');
    for (let read = 0; read < 5; read += 1) {
      const key = await keys.unwrap(wrapped, 'file-1');
      expect(key.equals(dataKey)).toBe(true);
      key.fill(0);
    }
    expect(unwrap).toHaveBeenCalledTimes(1);
    expect(calls).toEqual(['local unwrap success']);
    expect(lookups).toEqual([false, true, true, true, true]);
  });

  it('opens a record with the provider it names, and says which settings a missing one needs', async () => {
    const { metrics } = recordingMetrics();
    const cache = new DataKeyCache({ ttlMs: 0, maxEntries: 0 });
    const keys = new RoutingKeyWrapper(local, new Map([['local', local]]), cache, metrics);
    const { wrapped } = await local.generateDataKey('file-1');
    expect(wrapped.keyProvider).toBe('local');
    // Records from before providers existed name none: they are local's.
    const { keyProvider: _none, ...older } = wrapped;
    await expect(keys.unwrap(older, 'file-1')).resolves.toHaveLength(32);
    await expect(keys.unwrap({ ...wrapped, keyProvider: 'aws-kms' }, 'file-1')).rejects.toThrow(
      UnconfiguredKeyProviderError,
    );
    await expect(keys.unwrap({ ...wrapped, keyProvider: 'aws-kms' }, 'file-1')).rejects.toThrow(
      /set AWS_KMS_KEY_ID and AWS_KMS_REGION/,
    );
  });

  it('counts an outage as unavailable', async () => {
    const { metrics, calls } = recordingMetrics();
    const down: KeyWrapper = {
      provider: 'aws-kms',
      currentKeyId: 'arn',
      resolveCurrentKeyId: () => Promise.resolve('arn'),
      generateDataKey: () => Promise.reject(new DependencyUnavailableError('key service')),
      wrap: () => Promise.reject(new DependencyUnavailableError('key service')),
      unwrap: () => Promise.reject(new DependencyUnavailableError('key service')),
      checkHealth: () => Promise.reject(new DependencyUnavailableError('key service')),
    };
    const keys = new RoutingKeyWrapper(
      down,
      new Map<KeyProviderName, KeyWrapper>([
        ['local', local],
        ['aws-kms', down],
      ]),
      new DataKeyCache({ ttlMs: 0, maxEntries: 0 }),
      metrics,
    );
    await expect(keys.generateDataKey('file-1')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(keys.checkHealth()).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(calls).toEqual(['aws-kms generate unavailable']);
  });
});
