import { escapeRegex } from '@strongroom/common';

/**
 * Name search served by an index: each file stores, lower-cased, the tail of its name from every
 * place a word (a run of letters, or of digits) or a run of other characters begins, and a search
 * is a prefix of one of those tails. `quiet-invoice-2024.pdf` is found by `inv`, `invoice-20`,
 * `2024`, `.pdf` and `quiet`, not by `voice`; a prefix, unlike a substring, walks an index
 * (`{ uploader, status, nameKeys }`) instead of every one of the owner's files.
 */
export const NAME_KEY_LENGTH = 64;

const LETTER = /\p{L}|\p{M}/u;
const DIGIT = /\p{N}/u;

function kind(character: string): 'letter' | 'digit' | 'other' {
  if (LETTER.test(character)) return 'letter';
  return DIGIT.test(character) ? 'digit' : 'other';
}

/** One form for names and queries alike: NFKC, lower case. */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * The keys a name is found by: its normalised tails from every word start, each cut to
 * NAME_KEY_LENGTH characters (a longer query is checked against the name itself).
 */
export function nameSearchKeys(name: string): string[] {
  const characters = [...normalizeForSearch(name)];
  const keys = new Set<string>();
  for (let i = 0; i < characters.length; i++) {
    if (i > 0 && kind(characters[i]) === kind(characters[i - 1])) continue;
    keys.add(characters.slice(i, i + NAME_KEY_LENGTH).join(''));
  }
  return [...keys];
}

/** The file filter for a search text: a prefix of one key, and the whole text for long ones. */
export function nameSearchFilter(query: string): Record<string, unknown> {
  const text = normalizeForSearch(query.trim());
  const characters = [...text];
  const prefix = characters.slice(0, NAME_KEY_LENGTH).join('');
  const filter: Record<string, unknown> = { nameKeys: { $regex: `^${escapeRegex(prefix)}` } };
  if (characters.length > NAME_KEY_LENGTH) {
    filter.name = { $regex: escapeRegex(query.trim()), $options: 'i' };
  }
  return filter;
}
