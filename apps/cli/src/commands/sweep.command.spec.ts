import { describeSweep } from './sweep.command';

describe('sweep output', () => {
  it('counts every kind of leftover it removed, the storage temporaries included', () => {
    expect(describeSweep({ stalePending: 2, orphanBlobs: 1, temporaries: 3 })).toBe(
      'removed 2 stale pending uploads, 1 orphan blobs and 3 storage temporaries',
    );
  });
});
