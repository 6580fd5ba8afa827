import { escapeRegex } from './mongo-helpers';

/**
 * Search served by an index: a record stores, lower-cased, the tail of its text from every place
 * a word (a run of letters, or of digits) or a run of other characters begins, and a search is a
 * prefix of one of those tails. `quiet-invoice-2024.pdf` is found by `inv`, `invoice-20`, `2024`,
 * `.pdf` and `quiet`, not by `voice`; a prefix, unlike a substring, walks an index of the keys
 * instead of every record.
 */
export const SEARCH_KEY_LENGTH = 64;

const LETTER = /\p{L}|\p{M}/u;
const DIGIT = /\p{N}/u;

function kind(character: string): 'letter' | 'digit' | 'other' {
  if (LETTER.test(character)) return 'letter';
  return DIGIT.test(character) ? 'digit' : 'other';
}

/** One form for texts and queries alike: NFKC, lower case. */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * The keys the texts are found by: each one's normalised tails from every word start, each cut
 * to SEARCH_KEY_LENGTH characters (a longer query is checked against the text itself).
 */
export function searchKeys(...texts: string[]): string[] {
  const keys = new Set<string>();
  for (const text of texts) {
    const characters = [...normalizeForSearch(text)];
    for (let i = 0; i < characters.length; i++) {
      if (i > 0 && kind(characters[i]) === kind(characters[i - 1])) continue;
      keys.add(characters.slice(i, i + SEARCH_KEY_LENGTH).join(''));
    }
  }
  return [...keys];
}

/** The condition on the keys for a search text: an anchored prefix, which has index bounds. */
export function searchKeyPrefix(query: string): { $regex: string } {
  const prefix = [...normalizeForSearch(query.trim())].slice(0, SEARCH_KEY_LENGTH).join('');
  return { $regex: `^${escapeRegex(prefix)}` };
}

/** Whether the search text is longer than a key, so the matches must be checked in full. */
export function exceedsSearchKey(query: string): boolean {
  return [...normalizeForSearch(query.trim())].length > SEARCH_KEY_LENGTH;
}
