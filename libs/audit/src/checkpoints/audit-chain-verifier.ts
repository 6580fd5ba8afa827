import { CHAIN_START, type ChainLink, checkLink } from '../audit-chain';
import { type AuditCheckpoint, checkpointMessage } from './audit-checkpoint';
import type { AuditKeySet } from './audit-signing-keys';

export interface RejectedCheckpoint {
  seq: number;
  keyId: string;
  reason: 'bad signature' | 'signed by an unknown key';
}

export interface ChainReport {
  valid: boolean;
  /** Events checked. */
  count: number;
  /** The newest event's hash when valid. */
  headHash?: string;
  /** The first sequence number that is wrong or missing. */
  firstInvalidSeq?: number;
  /** What is wrong at firstInvalidSeq, or with a checkpoint. */
  reason?: string;
  checkpoints: {
    /** Checkpoints whose signature verified under a trusted key. */
    verified: number;
    /** The newest verified one: everything up to its seq is proven. */
    lastSeq?: number;
    lastAt?: Date;
    rejected: RejectedCheckpoint[];
  };
  /** Events after the last checkpoint: intact as far as the chain shows, but not yet signed for. */
  notYetCheckpointed: { count: number; fromSeq?: number };
}

type Walk = { brokenAt: number; reason: string } | undefined;

/**
 * Walks the chain in sequence order and holds it against the signed checkpoints. The chain alone
 * shows an edited event (at it), a removed one (at its number) and reordering; the checkpoints
 * add what the chain cannot show by itself: a rewrite with recomputed hashes (somewhere after the
 * last checkpoint that still agrees) and a cut-off tail (at the first missing number).
 */
export async function verifyChain(
  events: AsyncIterable<ChainLink>,
  checkpoints: readonly AuditCheckpoint[],
  keys: AuditKeySet,
): Promise<ChainReport> {
  const rejected: RejectedCheckpoint[] = [];
  const trusted: AuditCheckpoint[] = [];
  for (const checkpoint of checkpoints) {
    const verdict = keys.verify(
      checkpoint.keyId,
      checkpointMessage(checkpoint),
      checkpoint.signature,
    );
    if (verdict === 'valid') trusted.push(checkpoint);
    else {
      rejected.push({
        seq: checkpoint.seq,
        keyId: checkpoint.keyId,
        reason: verdict === 'bad' ? 'bad signature' : 'signed by an unknown key',
      });
    }
  }
  trusted.sort((a, b) => a.seq - b.seq);
  const signedAt = new Map<number, AuditCheckpoint[]>();
  for (const checkpoint of trusted) {
    signedAt.set(checkpoint.seq, [...(signedAt.get(checkpoint.seq) ?? []), checkpoint]);
  }

  let position = CHAIN_START;
  let count = 0;
  let lastAgreed = 0;
  let broken: Walk;
  for await (const event of events) {
    count += 1;
    if (broken) continue;
    const result = checkLink(position, event);
    if ('brokenAt' in result) {
      broken = {
        brokenAt: result.brokenAt,
        reason: 'the chain breaks here: an edited, missing or reordered event',
      };
      continue;
    }
    position = result.next;
    const seq = position.nextSeq - 1;
    for (const checkpoint of signedAt.get(seq) ?? []) {
      if (checkpoint.hash !== position.prevHash) {
        broken = {
          brokenAt: lastAgreed + 1,
          reason: `events ${lastAgreed + 1} to ${seq} were rewritten: event ${seq} differs from the checkpoint signed at ${checkpoint.at.toISOString()}`,
        };
        break;
      }
    }
    if (!broken && signedAt.has(seq)) lastAgreed = seq;
  }

  const last = trusted.at(-1);
  const chainEnd = position.nextSeq - 1;
  if (!broken && last && last.seq > chainEnd) {
    broken = {
      brokenAt: chainEnd + 1,
      reason: `the newest events are missing: the chain ends at ${chainEnd}, but a checkpoint signed at ${last.at.toISOString()} covers up to ${last.seq}`,
    };
  }
  if (!broken && rejected.length > 0) {
    broken = {
      brokenAt: Math.min(...rejected.map((checkpoint) => checkpoint.seq)),
      reason: `a checkpoint does not verify (${rejected[0].reason}): it was forged or altered, or AUDIT_VERIFY_KEYS lacks an earlier signing key`,
    };
  }

  const checkpointSummary = {
    verified: trusted.length,
    lastSeq: last?.seq,
    lastAt: last?.at,
    rejected,
  };
  const covered = Math.min(last?.seq ?? 0, chainEnd);
  const waiting = broken ? 0 : chainEnd - covered;
  return {
    valid: !broken,
    count,
    ...(broken
      ? { firstInvalidSeq: broken.brokenAt, reason: broken.reason }
      : { headHash: position.prevHash }),
    checkpoints: checkpointSummary,
    notYetCheckpointed: waiting > 0 ? { count: waiting, fromSeq: covered + 1 } : { count: 0 },
  };
}
