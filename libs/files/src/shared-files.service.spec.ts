import { Types } from 'mongoose';
import type { Head } from './grant-rows';
import { boundedDistinctTotal, mergeHeads } from './shared-files.service';

describe('mergeHeads', () => {
  const [a, b, c] = [
    '000000000000000000000001',
    '000000000000000000000002',
    'ffffffffffffffffffffffff',
  ].map((hex) => new Types.ObjectId(hex));
  const hex = (ids: Types.ObjectId[]) => ids.map((id) => id.toHexString());

  it('orders by the value, then the id, either way, and lists a file reached twice once', () => {
    const direct: Head[] = [
      { fileId: b, value: 'apple' },
      { fileId: c, value: 'pear' },
    ];
    const viaGroups: Head[] = [
      { fileId: a, value: 'apple' },
      { fileId: c, value: 'pear' },
    ];
    expect(hex(mergeHeads([direct, viaGroups], 1))).toEqual(hex([a, b, c]));
    expect(hex(mergeHeads([direct, viaGroups], -1))).toEqual(hex([c, b, a]));
  });

  it('orders strings by code point as MongoDB does, dates and numbers by value', () => {
    // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 unit.
    const names: Head[][] = [[{ fileId: a, value: '\u{1F600}' }], [{ fileId: b, value: '\uFF5E' }]];
    expect(hex(mergeHeads(names, 1))).toEqual(hex([b, a]));
    const sizes: Head[][] = [[{ fileId: a, value: 10 }], [{ fileId: b, value: 9 }]];
    expect(hex(mergeHeads(sizes, 1))).toEqual(hex([b, a]));
    const times: Head[][] = [
      [{ fileId: a, value: new Date(2) }],
      [{ fileId: b, value: new Date(1) }],
    ];
    expect(hex(mergeHeads(times, -1))).toEqual(hex([a, b]));
  });
});

describe('boundedDistinctTotal', () => {
  const id = new Types.ObjectId();

  it('counts distinct files exactly up to the bound', async () => {
    const ids = jest.fn(() => Promise.resolve([id, id, new Types.ObjectId()]));
    await expect(boundedDistinctTotal([2, 1], ids, 3)).resolves.toBe(2);
    expect(ids).toHaveBeenCalledTimes(1);
  });

  it('past the bound answers the grant count without reading a single id', async () => {
    const ids = jest.fn(() => Promise.resolve([id]));
    await expect(boundedDistinctTotal([3, 1], ids, 3)).resolves.toBe(4);
    expect(ids).not.toHaveBeenCalled();
  });
});
