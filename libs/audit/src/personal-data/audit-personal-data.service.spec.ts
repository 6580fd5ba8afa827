import { randomBytes } from 'node:crypto';
import { GENESIS_HASH, hashEvent } from '../audit-chain';
import { AuditPersonalData, ERASED_SUBJECT } from './audit-personal-data.service';
import type { AuditSubjectKeys } from './audit-subject-keys.service';

const MARTA = '6650f1c2a1b2c3d4e5f60718';
const ADMIN = '6650f1c2a1b2c3d4e5f60719';

/** The key store's contract in memory: a key per subject, gone for good once erased. */
class MemoryKeys {
  readonly keys = new Map<string, Buffer | 'erased'>();

  sealingKey(subjectId: string) {
    const existing = this.keys.get(subjectId);
    if (existing === 'erased') return Promise.resolve(undefined);
    const key = existing ?? randomBytes(32);
    this.keys.set(subjectId, key);
    return Promise.resolve(Buffer.from(key));
  }

  openingKeys(ids: Iterable<string>) {
    const found = new Map<string, Buffer>();
    for (const id of ids) {
      const key = this.keys.get(id);
      if (key instanceof Buffer) found.set(id, Buffer.from(key));
    }
    return Promise.resolve(found);
  }

  erase(subjectId: string) {
    this.keys.set(subjectId, 'erased');
    return Promise.resolve();
  }
}

describe('AuditPersonalData', () => {
  let keys: MemoryKeys;
  let personal: AuditPersonalData;

  beforeEach(() => {
    keys = new MemoryKeys();
    personal = new AuditPersonalData(keys as unknown as AuditSubjectKeys);
  });

  const failedLogin = {
    actor: { ip: '203.0.113.77' },
    target: { userId: MARTA },
    details: { email: 'marta@example.com', attempts: 3 },
  };

  it('seals the IP under the actor (else the target) and personal details under the target', async () => {
    const sealed = await personal.seal({
      actor: { userId: ADMIN, ip: '198.51.100.1' },
      target: { userId: MARTA },
      details: { email: 'marta@example.com', from: 'user' },
    });
    expect(sealed.actor.ip).toMatch(new RegExp(`^pii:v1:${ADMIN}:`));
    expect(sealed.details.email).toMatch(new RegExp(`^pii:v1:${MARTA}:`));
    expect(sealed.details.from).toBe('user');
    expect((await personal.seal(failedLogin)).actor.ip).toMatch(new RegExp(`^pii:v1:${MARTA}:`));
  });

  it('opens what it sealed, and leaves clear what was stored clear', async () => {
    const sealed = await personal.seal(failedLogin);
    const legacy = {
      actor: { ip: '192.0.2.1' },
      target: {},
      details: { email: 'old@example.com' },
    };
    expect(await personal.reveal([sealed, legacy])).toEqual([failedLogin, legacy]);
  });

  it('leaves fields that belong to no account as they are', async () => {
    const anonymous = { actor: { linkId: 'l1', ip: '192.0.2.9' }, target: {}, details: {} };
    expect(await personal.seal(anonymous)).toEqual(anonymous);
  });

  it('after erasure reads "erased subject", while the chain hash of the stored form is unchanged', async () => {
    const sealed = await personal.seal(failedLogin);
    const stored = { seq: 1, type: 'login_failed', ...sealed };
    const hash = hashEvent(GENESIS_HASH, stored);
    await keys.erase(MARTA);
    const [revealed] = await personal.reveal([stored]);
    expect(revealed).toMatchObject({
      actor: { ip: ERASED_SUBJECT },
      details: { email: ERASED_SUBJECT, attempts: 3 },
    });
    expect(hashEvent(GENESIS_HASH, stored)).toBe(hash);
  });

  it('stores nothing personal about a subject erased before the event', async () => {
    await keys.erase(MARTA);
    expect(await personal.seal(failedLogin)).toEqual({
      actor: {},
      target: { userId: MARTA },
      details: { attempts: 3 },
    });
  });

  it('does not open a sealed value moved to another field or subject', async () => {
    const sealed = await personal.seal(failedLogin);
    const moved = { ...sealed, details: { ...sealed.details, name: sealed.details.email } };
    const [revealed] = await personal.reveal([moved]);
    expect(revealed.details).toMatchObject({ email: 'marta@example.com', name: ERASED_SUBJECT });
  });
});
