import { archiveEntryNames } from './archive-entry-names';

describe('archiveEntryNames', () => {
  it('numbers repeated names, ignoring case, before the extension', () => {
    expect(archiveEntryNames(['a.txt', 'a.txt', 'A.TXT', 'notes', 'notes'])).toEqual([
      'a.txt',
      'a (2).txt',
      'A (3).TXT',
      'notes',
      'notes (2)',
    ]);
  });

  it('skips a number another file already has', () => {
    expect(archiveEntryNames(['a (2).txt', 'a.txt', 'a.txt'])).toEqual([
      'a (2).txt',
      'a.txt',
      'a (3).txt',
    ]);
  });

  it.each([
    ['../../etc/passwd', '.._.._etc_passwd'],
    ['...', 'file'],
    ['..', 'file'],
    ['.', 'file'],
    ['dir\\evil.exe', 'dir_evil.exe'],
    ['/abs/path.txt', '_abs_path.txt'],
    ['.env', '.env'],
    ['trailing. ', 'trailing'],
    ['bidi\u202Etxt.exe', 'bidi_txt.exe'],
    ['tab\there', 'tab_here'],
  ])('makes %p the flat name %p', (name, entry) => {
    const [result] = archiveEntryNames([name]);
    expect(result).toBe(entry);
    expect(result).not.toMatch(/[/\\]/);
    expect(result).not.toMatch(/^\.+$/);
  });
});
