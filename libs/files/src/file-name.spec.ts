import { sanitizeFileName } from './file-name';

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../x', 'x'],
    ['/abs/path/secret.txt', 'secret.txt'],
    ['C:\\Users\\eve\\evil.exe', 'evil.exe'],
    ['a.php\u0000.jpg', 'a.php.jpg'],
    ['invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['line\r\nbreak.txt', 'linebreak.txt'],
    ['  spaced  ', 'spaced'],
    ['Cafe\u0301.txt', 'Caf\u00e9.txt'],
    ['', 'file'],
    ['..', 'file'],
    ['/', 'file'],
    [undefined, 'file'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('caps the length at 255 characters, counting emoji as one', () => {
    expect([...sanitizeFileName('a'.repeat(1000))]).toHaveLength(255);
    expect([...sanitizeFileName('📄'.repeat(300))]).toHaveLength(255);
  });
});
