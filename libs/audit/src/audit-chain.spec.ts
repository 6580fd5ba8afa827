import {
  canonicalEncode,
  CHAIN_START,
  type ChainPosition,
  checkLink,
  GENESIS_HASH,
  hashEvent,
} from './audit-chain';

const event = (seq: number, extra: object = {}) => ({
  seq,
  at: new Date('2025-03-01T12:00:00.000Z'),
  type: 'login_succeeded',
  actor: { userId: '6650f1c2a1b2c3d4e5f60718', ip: '203.0.113.7' },
  target: { userId: '6650f1c2a1b2c3d4e5f60718' },
  outcome: 'success',
  requestId: 'req-1',
  details: { email: 'marta@example.com', attempts: 3, locked: false, quota: null },
  ...extra,
});

/** Builds a valid chain of n events, as the trail would store them. */
function chain(n: number) {
  const events = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = event(seq, { requestId: `req-${seq}` });
    const hash = hashEvent(prevHash, content);
    events.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

function verify(events: Array<Parameters<typeof checkLink>[1]>): number | undefined {
  let position: ChainPosition = CHAIN_START;
  for (const stored of events) {
    const result = checkLink(position, stored);
    if ('brokenAt' in result) return result.brokenAt;
    position = result.next;
  }
  return undefined;
}

describe('canonicalEncode', () => {
  it('types every scalar, so look-alike values differ', () => {
    expect(canonicalEncode('5')).toBe('s:"5"');
    expect(canonicalEncode(5)).toBe('n:5');
    expect(canonicalEncode(true)).toBe('b:true');
    expect(canonicalEncode(null)).toBe('null');
    expect(canonicalEncode('null')).not.toBe(canonicalEncode(null));
    expect(canonicalEncode(new Date('2025-03-01T12:00:00Z'))).toBe('d:2025-03-01T12:00:00.000Z');
    expect(canonicalEncode('2025-03-01T12:00:00.000Z')).not.toBe(
      canonicalEncode(new Date('2025-03-01T12:00:00Z')),
    );
  });

  it('sorts keys and leaves out undefined values, at every depth', () => {
    const a = canonicalEncode({ b: 1, a: { y: 'x', x: undefined, w: null } });
    const b = canonicalEncode({ a: { w: null, y: 'x' }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"w":null,"y":s:"x"},"b":n:1}');
  });

  it('escapes strings and keys so no value can fake a structure', () => {
    expect(canonicalEncode({ 'a":s:"b': 'c' })).not.toBe(canonicalEncode({ a: 'b', c: 'c' }));
    expect(canonicalEncode({ a: 'x","b":s:"y' })).not.toBe(canonicalEncode({ a: 'x', b: 'y' }));
    expect(canonicalEncode('line\nbreak "quoted" ünï')).toBe('s:"line\\nbreak \\"quoted\\" ünï"');
  });

  it('normalises -0 and refuses what it cannot encode faithfully', () => {
    expect(canonicalEncode(-0)).toBe('n:0');
    expect(() => canonicalEncode(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalEncode(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => canonicalEncode(new Date('nonsense'))).toThrow(TypeError);
    expect(() => canonicalEncode([1, 2] as never)).toThrow(/list/);
    expect(() => canonicalEncode(new Map() as never)).toThrow(/non-plain/);
    expect(() => canonicalEncode(1n as never)).toThrow(/bigint/);
  });
});

describe('hashEvent', () => {
  it('is a SHA-256 hex digest that depends on the previous hash', () => {
    const hash = hashEvent(GENESIS_HASH, event(1));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(GENESIS_HASH, event(1))).toBe(hash);
    expect(hashEvent('1'.repeat(64), event(1))).not.toBe(hash);
  });

  it('ignores the stored id and hashes, and the order in which fields were stored', () => {
    const plain = event(1);
    const stored = { _id: 'anything', hash: 'x', prevHash: 'y', ...plain };
    const reordered = Object.fromEntries(Object.entries(plain).reverse());
    expect(hashEvent(GENESIS_HASH, stored)).toBe(hashEvent(GENESIS_HASH, plain));
    expect(hashEvent(GENESIS_HASH, reordered)).toBe(hashEvent(GENESIS_HASH, plain));
  });

  it('treats an absent actor, target or details like an empty one (a store may drop {})', () => {
    const bare = { seq: 1, at: new Date(0), type: 'login_failed', outcome: 'failure' };
    expect(hashEvent(GENESIS_HASH, bare)).toBe(
      hashEvent(GENESIS_HASH, { ...bare, actor: {}, target: {}, details: {} }),
    );
  });

  it('changes with any field, including one added later', () => {
    const base = hashEvent(GENESIS_HASH, event(1));
    const variants = [
      event(2),
      event(1, { at: new Date('2025-03-01T12:00:00.001Z') }),
      event(1, { type: 'login_failed' }),
      event(1, { actor: { userId: '6650f1c2a1b2c3d4e5f60718', ip: '203.0.113.8' } }),
      event(1, { target: {} }),
      event(1, { outcome: 'failure' }),
      event(1, { requestId: undefined }),
      event(1, { details: { email: 'marta@example.com', attempts: '3', locked: false } }),
      event(1, { note: 'added afterwards' }),
    ];
    for (const variant of variants) expect(hashEvent(GENESIS_HASH, variant)).not.toBe(base);
  });

  it('refuses a previous hash that is not a digest', () => {
    expect(() => hashEvent('abc', event(1))).toThrow(/prevHash/);
  });
});

describe('checkLink', () => {
  it('accepts an intact chain', () => {
    expect(verify(chain(5))).toBeUndefined();
  });

  it('detects an edited event at its own sequence number', () => {
    const events = chain(5);
    events[2] = { ...events[2], details: { ...events[2].details, email: 'someone@else.com' } };
    expect(verify(events)).toBe(3);
  });

  it('detects an edited event whose hash was recomputed, at the next event', () => {
    const events = chain(5);
    const edited = { ...events[2], outcome: 'failure' };
    events[2] = { ...edited, hash: hashEvent(edited.prevHash, edited) };
    expect(verify(events)).toBe(4);
  });

  it('detects a deleted event at the missing sequence number', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verify(events)).toBe(2);
  });

  it('detects a deleted event even when the later numbers were shifted down', () => {
    const events = chain(5);
    events.splice(1, 1);
    const shifted = events.map((stored, index) => ({ ...stored, seq: index + 1 }));
    expect(verify(shifted)).toBe(2);
  });

  it('detects reordered events', () => {
    const events = chain(5);
    [events[1], events[2]] = [events[2], events[1]];
    expect(verify(events)).toBe(2);
    const renumbered = chain(5);
    [renumbered[1].seq, renumbered[2].seq] = [3, 2];
    [renumbered[1], renumbered[2]] = [renumbered[2], renumbered[1]];
    expect(verify(renumbered)).toBe(2);
  });

  it('detects a repeated sequence number and a chain that does not start at 1', () => {
    const events = chain(3);
    expect(verify([events[0], events[0], events[1]])).toBe(1);
    expect(verify(events.slice(1))).toBe(1);
  });

  it('reports undecodable events as broken instead of throwing', () => {
    const events = chain(2);
    expect(verify([events[0], { ...events[1], details: { list: [1] } } as never])).toBe(2);
    expect(verify([{ ...events[0], seq: '1' }])).toBe(1);
  });
});
