import type Redis from 'ioredis';
import * as common from '@strongroom/common';
import { DependencyUnavailableError } from '@strongroom/common';
import type { AppConfig } from '@strongroom/config';
import { AuditSubjectKeyCacheSync, invalidationFor } from './audit-subject-key-cache.sync';

const config = { audit: { subjectKeyCacheTtlMs: 60_000 } } as AppConfig;
const record = (subjectId: string) => ({
  subjectId,
  createdAt: new Date(0),
  kekId: 'k',
  wrappedKey: 'w',
});

describe('invalidationFor', () => {
  it('drops the subjects a write to the keys names, all when it names none', () => {
    const write = (subjectId?: string[]) => ({
      collection: 'audit_subject_keys',
      keys: { subjectId },
    });
    expect(invalidationFor(write(['s1']))).toEqual({ subjects: ['s1'] });
    expect(invalidationFor(write(undefined))).toEqual({ all: true });
    expect(invalidationFor({ collection: 'users', keys: { _id: ['s1'] } })).toBeUndefined();
  });
});

describe('AuditSubjectKeyCacheSync', () => {
  function withRedis(publish: jest.Mock) {
    const subscriber = {
      status: 'ready',
      on: (event: string, handler: () => void) => event === 'ready' && handler(),
      subscribe: jest.fn(() => Promise.resolve()),
      quit: jest.fn(() => Promise.resolve()),
    };
    return { duplicate: () => subscriber, publish } as unknown as Redis;
  }

  it('caches nothing without Redis, which alone could tell it of an erasure elsewhere', async () => {
    const sync = new AuditSubjectKeyCacheSync(config, null);
    await sync.onModuleInit();
    sync.cache.set(record('s1'), sync.cache.generation);
    expect([sync.cache.enabled, sync.cache.get('s1')]).toEqual([false, undefined]);
    await sync.onModuleDestroy();
  });

  it('fails the write whose invalidation Redis did not take, after dropping it here', async () => {
    const sync = new AuditSubjectKeyCacheSync(
      config,
      withRedis(jest.fn(() => Promise.reject(new Error('Connection is closed.')))),
    );
    const hears = jest.spyOn(common, 'onAnnouncedWrite');
    await sync.onModuleInit();
    const written = hears.mock.calls[0][0];
    hears.mockRestore();
    sync.cache.set(record('s1'), sync.cache.generation);
    expect(sync.cache.get('s1')).toEqual(record('s1'));
    await expect(
      written({ collection: 'audit_subject_keys', keys: { subjectId: ['s1'] } }),
    ).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(sync.cache.get('s1')).toBeUndefined();
    await sync.onModuleDestroy();
  });
});
