// Path separators, C0/C1 controls and the bidi marks that can make "txt.exe" read as "exe.txt".
const UNSAFE = /[/\\\p{Cc}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/gu;
const FALLBACK = 'file';

/** One flat, harmless entry name: no directories, nothing that climbs out of the target folder. */
function sanitize(name: string): string {
  // With separators gone a name is one path component; trailing dots and spaces vanish on Windows,
  // and a name of dots alone ("..") would climb out.
  const cleaned = name
    .normalize('NFC')
    .replace(UNSAFE, '_')
    .trim()
    .replace(/[. ]+$/, '');
  return cleaned === '' ? FALLBACK : cleaned;
}

function withSuffix(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/**
 * The entry names of a ZIP, one per file name, in order: sanitised, and unique without regard to
 * case (Windows and macOS unpack "A.txt" over "a.txt"): the second "a.txt" becomes "a (2).txt".
 */
export function archiveEntryNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((original) => {
    const base = sanitize(original);
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = withSuffix(base, n);
    taken.add(name.toLowerCase());
    return name;
  });
}
