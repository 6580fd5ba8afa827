import { randomBytes } from 'node:crypto';
import { GENESIS_HASH, hashEvent } from '../audit-chain';
import { verifyChain } from './audit-chain-verifier';
import { type AuditCheckpoint, checkpointMessage } from './audit-checkpoint';
import { AuditKeySet, AuditSigner } from './audit-signing-keys';

function chain(n: number) {
  const events = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      seq,
      at: new Date(Date.UTC(2025, 2, 1, 12, 0, seq)),
      type: 'login_succeeded',
      actor: {},
      target: {},
      outcome: 'success',
      details: { n: seq },
    };
    const hash = hashEvent(prevHash, content);
    events.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

const signer = new AuditSigner(randomBytes(32));
const keys = new AuditKeySet([signer.publicKey]);

function checkpointAt(events: ReturnType<typeof chain>, seq: number, by = signer): AuditCheckpoint {
  const body = { seq, hash: events[seq - 1].hash, at: new Date('2025-03-01T13:00:00Z') };
  return { ...body, keyId: by.keyId, signature: by.sign(checkpointMessage(body)) };
}

async function* iterate<T>(items: T[]) {
  for (const item of items) yield await Promise.resolve(item);
}

const verify = (events: ReturnType<typeof chain>, checkpoints: AuditCheckpoint[], set = keys) =>
  verifyChain(iterate(events), checkpoints, set);

describe('verifyChain', () => {
  const events = chain(10);
  const checkpoints = [checkpointAt(events, 4), checkpointAt(events, 8)];

  it('is valid when the chain agrees with every checkpoint, and counts what waits for one', async () => {
    expect(await verify(events, checkpoints)).toEqual({
      valid: true,
      count: 10,
      headHash: events[9].hash,
      checkpoints: { verified: 2, lastSeq: 8, lastAt: expect.any(Date), rejected: [] },
      notYetCheckpointed: { count: 2, fromSeq: 9 },
    });
  });

  it('names an edited event', async () => {
    const edited = events.map((event) =>
      event.seq === 6 ? { ...event, outcome: 'failure' } : event,
    );
    expect(await verify(edited, checkpoints)).toMatchObject({ valid: false, firstInvalidSeq: 6 });
  });

  it('names a removed event', async () => {
    const removed = events.filter((event) => event.seq !== 3);
    expect(await verify(removed, checkpoints)).toMatchObject({ valid: false, firstInvalidSeq: 3 });
  });

  it('names the first missing event of a tail cut below the last checkpoint', async () => {
    const report = await verify(events.slice(0, 6), checkpoints);
    expect(report).toMatchObject({ valid: false, count: 6, firstInvalidSeq: 7 });
    expect(report.reason).toMatch(/newest events are missing.*covers up to 8/);
  });

  it('cannot see a tail cut after the last checkpoint, and says those events were never covered', async () => {
    expect(await verify(events.slice(0, 9), checkpoints)).toMatchObject({
      valid: true,
      notYetCheckpointed: { count: 1, fromSeq: 9 },
    });
  });

  it('catches a rewrite with recomputed hashes, from the last checkpoint that still agrees', async () => {
    const rewritten = chain(10).map((event) => ({ ...event }));
    // The same events with one changed at 6 and every later hash recomputed: the chain alone is valid.
    let prevHash = rewritten[4].hash;
    for (const event of rewritten.slice(5)) {
      if (event.seq === 6) event.outcome = 'failure';
      const { prevHash: _p, hash: _h, ...content } = event;
      event.prevHash = prevHash;
      event.hash = hashEvent(prevHash, content);
      prevHash = event.hash;
    }
    expect(await verify(rewritten, [])).toMatchObject({ valid: true });
    const report = await verify(rewritten, checkpoints);
    expect(report).toMatchObject({ valid: false, firstInvalidSeq: 5 });
    expect(report.reason).toMatch(/events 5 to 8 were rewritten/);
  });

  it('refuses a forged checkpoint and one signed by a key it does not trust', async () => {
    const forged = { ...checkpointAt(events, 8), hash: events[6].hash };
    expect(await verify(events, [forged])).toMatchObject({
      valid: false,
      firstInvalidSeq: 8,
      checkpoints: { verified: 0, rejected: [{ seq: 8, reason: 'bad signature' }] },
    });
    const stranger = new AuditSigner(randomBytes(32));
    expect(await verify(events, [checkpointAt(events, 4, stranger)])).toMatchObject({
      valid: false,
      checkpoints: { rejected: [{ seq: 4, reason: 'signed by an unknown key' }] },
    });
  });

  it('accepts checkpoints signed by an earlier key it still trusts', async () => {
    const earlier = new AuditSigner(randomBytes(32));
    const both = new AuditKeySet([signer.publicKey, earlier.publicKey]);
    const mixed = [checkpointAt(events, 4, earlier), checkpointAt(events, 8)];
    expect(await verify(events, mixed, both)).toMatchObject({
      valid: true,
      checkpoints: { verified: 2, lastSeq: 8 },
    });
  });
});
