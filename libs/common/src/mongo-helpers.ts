/** MongoDB's error code for a unique index violation. */
export const DUPLICATE_KEY_ERROR = 11000;

export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY_ERROR;
}

/** A user's search text as a literal regular expression: `.*` finds a dot and a star, nothing more. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
