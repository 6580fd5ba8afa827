import { Types } from 'mongoose';
import { LinkDownloadSlots } from '@strongroom/sharing';
import { createTestApp, type TestApp } from '../../support/test-app';

/** The download counting itself, against the real database, with more contention than HTTP gives. */
describe('LinkDownloadSlots', () => {
  let t: TestApp;
  let slots: LinkDownloadSlots;

  beforeAll(async () => {
    t = await createTestApp();
    slots = t.app.get(LinkDownloadSlots);
  });
  afterAll(() => t.close());

  const claimAll = (linkId: Types.ObjectId, max: number | null, n: number) =>
    Promise.all(Array.from({ length: n }, () => slots.claim(linkId, max)));

  it('hands out exactly maxDownloads of many concurrent claims', async () => {
    const linkId = new Types.ObjectId();
    const claims = await claimAll(linkId, 5, 20);
    expect(claims.filter(Boolean)).toHaveLength(5);
    expect(await slots.count(linkId)).toBe(5);
    expect(await slots.claim(linkId, 5)).toBeUndefined();
  });

  it('gives released downloads back, also from below the highest number', async () => {
    const linkId = new Types.ObjectId();
    const claims = await claimAll(linkId, 4, 4);
    expect(claims.every(Boolean)).toBe(true);
    await slots.release(claims[0]!);
    await slots.release(claims[2]!);
    expect(await slots.count(linkId)).toBe(2);

    const again = await claimAll(linkId, 4, 6);
    expect(again.filter(Boolean)).toHaveLength(2);
    expect(await slots.count(linkId)).toBe(4);
  });

  it('counts every download of an unlimited link, however many at once', async () => {
    const linkId = new Types.ObjectId();
    const other = new Types.ObjectId();
    const claims = await claimAll(linkId, null, 15);
    expect(new Set(claims.map(String)).size).toBe(15);
    await slots.claim(other, null);
    const counts = await slots.counts([linkId, other, new Types.ObjectId()]);
    expect(Object.fromEntries(counts)).toEqual({
      [linkId.toHexString()]: 15,
      [other.toHexString()]: 1,
    });

    await slots.deleteForLinks([linkId]);
    expect(await slots.count(linkId)).toBe(0);
    expect(await slots.count(other)).toBe(1);
  });
});
