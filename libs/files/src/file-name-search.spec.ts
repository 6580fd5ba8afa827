import { NAME_KEY_LENGTH, nameSearchFilter, nameSearchKeys } from './file-name-search';

describe('nameSearchKeys', () => {
  it('keeps the tail of the name from every word start, lower-cased', () => {
    expect(nameSearchKeys('Quiet-Invoice2024.PDF')).toEqual([
      'quiet-invoice2024.pdf',
      '-invoice2024.pdf',
      'invoice2024.pdf',
      '2024.pdf',
      '.pdf',
      'pdf',
    ]);
  });

  it('cuts each key to NAME_KEY_LENGTH characters, counted in code points', () => {
    const name = `${'é'.repeat(100)} ${'😀'.repeat(100)}`;
    for (const key of nameSearchKeys(name)) {
      expect([...key].length).toBeLessThanOrEqual(NAME_KEY_LENGTH);
    }
  });

  it('matches decomposed and composed accents alike', () => {
    expect(nameSearchKeys('Cafe\u0301.txt')).toContain('café.txt');
  });
});

describe('nameSearchFilter', () => {
  const matches = (name: string, query: string) => {
    const { nameKeys } = nameSearchFilter(query) as { nameKeys: { $regex: string } };
    const pattern = new RegExp(nameKeys.$regex, 'u');
    return nameSearchKeys(name).some((key) => pattern.test(key));
  };

  it('finds a name by the start of any of its words, whatever the case', () => {
    expect(matches('quiet-invoice-2024.pdf', 'INV')).toBe(true);
    expect(matches('quiet-invoice-2024.pdf', 'invoice-20')).toBe(true);
    expect(matches('quiet-invoice-2024.pdf', '2024')).toBe(true);
    expect(matches('quiet-invoice-2024.pdf', '.pdf')).toBe(true);
    expect(matches('quiet-invoice-2024.pdf', 'voice')).toBe(false);
  });

  it('treats the query as text, never as a pattern', () => {
    expect(matches('banana.txt', '.*')).toBe(false);
    expect(nameSearchFilter('a+b').nameKeys).toEqual({ $regex: '^a\\+b' });
  });

  it('is an anchored prefix (index bounds), with the full name checked only past the key length', () => {
    expect(nameSearchFilter('report')).toEqual({ nameKeys: { $regex: '^report' } });
    const long = 'x'.repeat(NAME_KEY_LENGTH + 5);
    expect(nameSearchFilter(long)).toEqual({
      nameKeys: { $regex: `^${'x'.repeat(NAME_KEY_LENGTH)}` },
      name: { $regex: long, $options: 'i' },
    });
  });
});
