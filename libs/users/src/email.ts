import unhomoglyph from 'unhomoglyph';

/**
 * Characters that show nothing, or change how their neighbours show: controls, format
 * characters (Cf: zero-width space, soft hyphen, bidi marks), the other default-ignorables
 * (variation selectors, Hangul fillers…), lone surrogates, private-use and unassigned code points.
 * In an address they only make a second account that reads the same as the first.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]/gu;
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * The one canonical form of an email address: trimmed, Unicode NFKC (so fullwidth and other
 * compatibility forms become the letters they stand for), lower-cased. Stored, and looked up.
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase().normalize('NFKC');
}

/** Why an address is refused for its invisible characters, naming them; undefined if it has none. */
export function invisibleCharactersProblem(email: string): string | undefined {
  const found = [...new Set(email.match(INVISIBLE))].map(
    (char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
  if (found.length === 0) return undefined;
  return `email contains invisible or formatting characters (${found.join(', ')}); type the address without them`;
}

/**
 * The confusable skeleton of a normalised address (Unicode TS #39: NFD, default-ignorables
 * removed, the confusables.txt mapping, NFD again): addresses that look alike, such as a Latin and
 * a Cyrillic 'а', have the same skeleton. Only ever compared, never shown: 'm' becomes 'rn'.
 */
export function emailSkeleton(normalizedEmail: string): string {
  return unhomoglyph(normalizedEmail.normalize('NFD').replace(DEFAULT_IGNORABLE, '')).normalize(
    'NFD',
  );
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}
