/**
 * What a signature counter says about an assertion (WebAuthn §6.1.1): an authenticator that keeps
 * no counter reports 0 every time, which is not a clone; one that does must report more than last
 * time, and anything else (non-zero and not larger) means the credential may have been copied.
 */
export type CounterVerdict = 'advanced' | 'not-kept' | 'regressed';

export function counterVerdict(stored: number, received: number): CounterVerdict {
  if (stored === 0 && received === 0) return 'not-kept';
  return received > stored ? 'advanced' : 'regressed';
}
