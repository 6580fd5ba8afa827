import { parseQuota, quotaInput } from '../../../apps/web/src/quota';

describe('quota typed by an admin', () => {
  it.each([
    ['500 MB', 500 * 1024 ** 2],
    ['2GB', 2 * 1024 ** 3],
    ['1.5 gb', 1.5 * 1024 ** 3],
    [' 10 kb ', 10 * 1024],
    ['4096', 4096],
    ['0', 0],
  ])('reads %p in the binary units the server uses', (text, value) => {
    expect(parseQuota(text)).toBe(value);
  });

  it('reads an empty field as no limit', () => {
    expect(parseQuota('  ')).toBeNull();
  });

  it.each(['lots', '-1 GB', '2 GiBs', '1e3', '5 GB 2', '0x10'])('refuses %p', (text) => {
    expect(parseQuota(text)).toBeUndefined();
  });

  it('shows a quota for editing in the same units, and nothing for none', () => {
    expect(quotaInput(2 * 1024 ** 3)).toBe('2 GB');
    expect(quotaInput(null)).toBe('');
    expect(parseQuota(quotaInput(1536 * 1024 ** 2))).toBe(1536 * 1024 ** 2);
  });
});
