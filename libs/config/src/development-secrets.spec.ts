import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateDevelopmentSecrets } from './development-secrets';

describe('development secrets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dev-secrets-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('generates every secret once and keeps them', () => {
    const first = loadOrCreateDevelopmentSecrets(dir);
    expect(Buffer.from(first.auditSigningKey!, 'base64')).toHaveLength(32);
    expect(loadOrCreateDevelopmentSecrets(dir)).toEqual(first);
  });

  it('adds the audit signing key to a data folder from before it existed, keeping the rest', () => {
    const older = { secretKey: 's'.repeat(48), encryptionKeys: `dev1:${'a'.repeat(43)}=` };
    writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify(older));
    const completed = loadOrCreateDevelopmentSecrets(dir);
    expect(completed).toMatchObject(older);
    expect(Buffer.from(completed.auditSigningKey!, 'base64')).toHaveLength(32);
    expect(JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8'))).toEqual(completed);
  });
});
