/**
 * Objects Strongroom keeps in the storage backend beside file blobs. Their first key segment is
 * never a file key's (`f/…`), so the file sweeper, which lists `f/` only, never sees them, and
 * restore leaves them where they are: they are evidence about the database, not part of it.
 */
export const AUDIT_CHECKPOINT_PREFIX = 'audit-checkpoints';

const RESERVED_PREFIXES = [AUDIT_CHECKPOINT_PREFIX];

export function isReservedStorageKey(key: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => key === prefix || key.startsWith(`${prefix}/`));
}
