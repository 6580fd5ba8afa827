import bytes from 'bytes';

/** What bytes.parse reads fully; anything else it would cut to its leading digits ("2 GiBs" → 2). */
const QUANTITY = /^\d+(\.\d+)?\s*(b|kb|mb|gb|tb|pb)?$/i;

/**
 * A quota typed by a person ("500 MB", "2GB", "1.5 tb"), read by the same `bytes` package and in
 * the same binary units as the server reads MAX_FILE_SIZE. Empty means no limit (null); anything
 * that is not a whole, non-negative byte count is undefined.
 */
export function parseQuota(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!QUANTITY.test(trimmed)) return undefined;
  const value = bytes.parse(trimmed);
  if (value === null || !Number.isSafeInteger(value) || value < 0) return undefined;
  return value;
}

/** The quota as the form shows it for editing: "2GB", "500MB", or '' for none. */
export function quotaInput(quota: number | null): string {
  return quota === null ? '' : (bytes.format(quota, { unitSeparator: ' ' }) ?? '');
}
