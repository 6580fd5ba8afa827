import { Types } from 'mongoose';
import { countServing, indexServing } from './index-coverage';

describe('indexServing', () => {
  const byOwner = { owner: 1, status: 1, at: 1, _id: 1 } as const;
  const owner = new Types.ObjectId();

  it('serves equality, then the sort, walked in either direction', () => {
    for (const order of [1, -1] as const) {
      const shape = { filter: { owner, status: 'ready' }, sort: { at: order, _id: order } };
      expect(indexServing(shape, [byOwner]).index).toEqual(byOwner);
    }
  });

  it('refuses a sort whose directions no single walk gives', () => {
    const shape = { filter: { owner, status: 'ready' }, sort: { at: 1, _id: -1 } } as const;
    expect(indexServing(shape, [byOwner]).index).toBeUndefined();
  });

  it('refuses a filtered field the index lacks: its documents are fetched to be discarded', () => {
    const shape = { filter: { owner, status: 'ready', kind: 'x' }, sort: { at: -1 } } as const;
    const verdict = indexServing(shape, [byOwner]);
    expect(verdict.index).toBeUndefined();
    expect(verdict.problems.join('\n')).toMatch(/kind is not in the index/);
  });

  it('serves a range on the sort field, and refuses a range after the sort', () => {
    const window = { at: { $gte: new Date(0), $lte: new Date() } };
    expect(
      indexServing({ filter: window, sort: { at: -1, seq: -1 } }, [{ at: 1, seq: 1 }]).index,
    ).toBeDefined();
    expect(
      indexServing({ filter: window, sort: { seq: -1 } }, [{ seq: 1 }, { at: 1 }]).index,
    ).toBeUndefined();
    const late = { filter: { at: window.at }, sort: { name: 1 } } as const;
    expect(indexServing(late, [{ name: 1, at: 1 }]).index).toBeUndefined();
  });

  it('refuses an unanchored or case-folded regex, serves an anchored prefix', () => {
    const sort = { createdAt: 1 } as const;
    const indexes = [{ keys: 1 } as const];
    const allowed = { sortsMatchesInMemory: 'a search' };
    expect(
      indexServing({ filter: { keys: { $regex: 'ab' } }, sort, ...allowed }, indexes).index,
    ).toBeUndefined();
    expect(
      indexServing({ filter: { keys: /^ab/i }, sort, ...allowed }, indexes).index,
    ).toBeUndefined();
    expect(
      indexServing({ filter: { keys: { $regex: '^ab' } }, sort, ...allowed }, indexes).index,
    ).toEqual({ keys: 1 });
    expect(
      indexServing({ filter: { keys: { $regex: '^ab' } }, sort }, indexes).index,
    ).toBeUndefined();
  });

  it('takes a short $in as equalities (a merge of walks), a long one as a range', () => {
    const short = { filter: { type: { $in: ['a', 'b'] } }, sort: { seq: -1 } } as const;
    expect(indexServing(short, [{ type: 1, seq: -1 }]).index).toBeDefined();
    const ids = Array.from({ length: 201 }, () => new Types.ObjectId());
    const long = { filter: { _id: { $in: ids }, status: 'ready' }, sort: { name: 1 } } as const;
    expect(indexServing(long, [{ status: 1, name: 1, _id: 1 }]).index).toBeUndefined();
  });

  it('takes any $in as exact points when nothing is sorted', () => {
    const ids = Array.from({ length: 500 }, () => new Types.ObjectId());
    const points = { filter: { fileId: { $in: ids }, userId: ids[0] } } as const;
    expect(indexServing(points, [{ fileId: 1, userId: 1 }]).problems).toEqual([]);
    expect(indexServing(points, [{ userId: 1 }]).index).toBeUndefined();
  });

  it('serves an $or branch by branch', () => {
    const shape = { filter: { $or: [{ a: 1 }, { b: 1 }] }, sort: { seq: -1 } } as const;
    expect(indexServing(shape, [{ a: 1, seq: 1 }]).index).toBeUndefined();
    expect(
      indexServing(shape, [
        { a: 1, seq: 1 },
        { b: 1, seq: 1 },
      ]).index,
    ).toBeDefined();
  });

  it('serves an unfiltered sort from an index that begins with it, not from any other', () => {
    expect(
      indexServing({ filter: {}, sort: { createdAt: 1, _id: 1 } }, [{ createdAt: 1, _id: 1 }])
        .index,
    ).toBeDefined();
    expect(
      indexServing({ filter: {}, sort: { createdAt: 1 } }, [{ role: 1, createdAt: 1 }]).index,
    ).toBeUndefined();
  });
});

describe('countServing', () => {
  it('counts from keys when the filter is a prefix, equalities first and one range last', () => {
    expect(
      countServing({ type: 'x', at: { $gte: new Date(0) } }, [{ type: 1, at: 1 }]).index,
    ).toBeDefined();
    expect(
      countServing({ type: 'x', at: { $gte: new Date(0) } }, [{ type: 1, seq: 1 }]).index,
    ).toBeUndefined();
    expect(countServing({}, [{ type: 1 }]).index).toBeUndefined();
  });
});
