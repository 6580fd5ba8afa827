const MAX_NAME_IN_SUBJECT = 80;

/** Names as they go into a header: one line, no control characters, bounded. */
export function headerSafe(text: string): string {
  const line = text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ').trim();
  return line.length > MAX_NAME_IN_SUBJECT ? `${line.slice(0, MAX_NAME_IN_SUBJECT - 1)}…` : line;
}
