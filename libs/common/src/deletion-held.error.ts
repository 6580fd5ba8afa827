/** Why one record must be kept: a legal hold (with its reason and who placed it) or a retention rule. */
export interface KeptRecord {
  id: string;
  name: string;
  /** A sentence naming the hold or the retention, e.g. `under legal hold placed by …: "…"`. */
  why: string;
}

/**
 * A deletion refused because what it would delete is under legal hold or within its retention
 * period; clients get 409 with the message, which names the hold.
 */
export class DeletionHeldError extends Error {
  constructor(
    message: string,
    readonly kept: readonly KeptRecord[] = [],
  ) {
    super(message);
    this.name = 'DeletionHeldError';
  }
}
