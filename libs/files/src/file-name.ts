/** The longest name kept, in characters (code points): what ext4 and most file systems allow. */
export const MAX_FILE_NAME_LENGTH = 255;
// C0/C1 controls, and the bidi marks and overrides that can make "txt.exe" read as "exe.txt".
const UNSAFE_CHARACTERS = /[\p{Cc}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/gu;
export const FALLBACK_FILE_NAME = 'file';

/**
 * The original name, kept as display metadata only (storage keys never derive from it): the part
 * after the last path separator, NFC, without control or bidi characters, at most 255 characters.
 * An upload's name comes from the client's file system and is cut to fit; a rename is checked
 * against MAX_FILE_NAME_LENGTH first, so a name the caller chose is never cut silently.
 */
export function sanitizeFileName(original: string | undefined): string {
  const base = (original ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(UNSAFE_CHARACTERS, '').trim();
  const capped = [...cleaned].slice(0, MAX_FILE_NAME_LENGTH).join('').trim();
  return capped === '' || capped === '.' || capped === '..' ? FALLBACK_FILE_NAME : capped;
}
