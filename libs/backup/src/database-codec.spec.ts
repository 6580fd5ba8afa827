import { Binary, BSON, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import { decodeDocument, encodeDocument } from './database-codec';

describe('the archive codec', () => {
  it('gives back the same BSON bytes, every type kept', () => {
    const stored = BSON.serialize({
      _id: new ObjectId(),
      int: new Int32(5),
      double: new Double(5),
      long: Long.fromString('9007199254740993'),
      decimal: Decimal128.fromString('0.1'),
      negativeZero: new Double(-0),
      at: new Date('2026-01-31T12:00:00.123Z'),
      bytes: new Binary(Buffer.from([0, 1, 2, 255])),
      text: 'zażółć "quoted"\nline',
      nested: { list: [1, 'two', null, true], empty: {} },
    });
    // What a cursor with FAITHFUL_READ returns.
    const read = BSON.deserialize(stored, {
      promoteValues: false,
      promoteLongs: false,
      promoteBuffers: false,
    });
    const line = encodeDocument(read);
    expect(line).not.toContain('\n');
    expect(Buffer.from(BSON.serialize(decodeDocument(line)))).toEqual(Buffer.from(stored));
  });
});
