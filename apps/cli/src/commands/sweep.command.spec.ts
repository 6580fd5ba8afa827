import { describeSweep } from './sweep.command';

describe('sweep output', () => {
  it('counts every kind of leftover it removed, the storage temporaries included', () => {
    expect(describeSweep({ stalePending: 2, orphanBlobs: 1, temporaries: 3, held: 0 })).toBe(
      'removed 2 stale pending uploads, 1 orphan blobs and 3 storage temporaries',
    );
  });

  it('says how many objects it had to keep because the storage holds them', () => {
    expect(describeSweep({ stalePending: 0, orphanBlobs: 1, temporaries: 0, held: 2 })).toBe(
      'removed 0 stale pending uploads, 1 orphan blobs and 0 storage temporaries; kept 2 objects the storage holds (legal hold or retention)',
    );
  });
});
