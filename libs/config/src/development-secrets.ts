import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedSecrets } from './config.schema';

const SECRETS_FILE = 'secrets.json';

/** Any 32 random bytes are an Ed25519 private key (its seed). */
const newAuditSigningKey = () => randomBytes(32).toString('base64');

/**
 * Development and test only: secrets generated on first start and kept in the data folder, so
 * tokens and encrypted files survive a restart without anyone having to invent a key. A secret
 * added in a later version is generated into an existing file the first time it is needed.
 */
export function loadOrCreateDevelopmentSecrets(dataDir: string): GeneratedSecrets {
  const file = path.join(dataDir, SECRETS_FILE);
  try {
    const existing = JSON.parse(readFileSync(file, 'utf8')) as GeneratedSecrets;
    if (existing.auditSigningKey) return existing;
    const completed = { ...existing, auditSigningKey: newAuditSigningKey() };
    writeFileSync(file, JSON.stringify(completed, null, 2), { mode: 0o600 });
    return completed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets: GeneratedSecrets = {
    secretKey: randomBytes(48).toString('base64url'),
    encryptionKeys: `dev1:${randomBytes(32).toString('base64')}`,
    auditSigningKey: newAuditSigningKey(),
  };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  return secrets;
}
