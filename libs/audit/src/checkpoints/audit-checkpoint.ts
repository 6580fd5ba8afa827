import { AUDIT_CHECKPOINT_PREFIX } from '@strongroom/storage';

/** Bumped if the signed text ever changes, so old and new signatures can never be confused. */
const MESSAGE_VERSION = 'strongroom-audit-checkpoint-v1';
const HASH_PATTERN = /^[0-9a-f]{64}$/;
const SEQ_DIGITS = 12;

/**
 * A signed statement that the audit chain's event `seq` had hash `hash` at time `at`. Kept outside
 * the database (storage, log, SIEM export), so whoever can rewrite the database cannot make the
 * chain shorter or different without the difference showing.
 */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: Date;
  /** Which signing key: see AuditKeySet. */
  keyId: string;
  /** Ed25519 over checkpointMessage(), base64. */
  signature: string;
}

export function checkpointMessage(checkpoint: Pick<AuditCheckpoint, 'seq' | 'hash' | 'at'>) {
  return `${MESSAGE_VERSION}\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.at.toISOString()}`;
}

/** Sorted by name in the order of the chain, whatever lists them (a bucket, a folder). */
export function checkpointStorageKey(seq: number): string {
  return `${AUDIT_CHECKPOINT_PREFIX}/c${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** The JSON form written to storage, the log and the export; the same fields as the interface. */
export function checkpointFields(checkpoint: AuditCheckpoint) {
  return {
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    at: checkpoint.at.toISOString(),
    keyId: checkpoint.keyId,
    signature: checkpoint.signature,
  };
}

/** Reads a checkpoint back, or says why the text is not one. */
export function parseCheckpoint(text: string): AuditCheckpoint | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  const { seq, hash, at, keyId, signature } = (value ?? {}) as Record<string, unknown>;
  const when = typeof at === 'string' ? new Date(at) : undefined;
  if (
    typeof seq !== 'number' ||
    !Number.isSafeInteger(seq) ||
    seq < 1 ||
    typeof hash !== 'string' ||
    !HASH_PATTERN.test(hash) ||
    !when ||
    Number.isNaN(when.getTime()) ||
    typeof keyId !== 'string' ||
    typeof signature !== 'string'
  ) {
    return { problem: 'not a checkpoint (seq, hash, at, keyId, signature)' };
  }
  return { seq, hash, at: when, keyId, signature };
}
