import { activityWindowStart, DailyActivityFold } from './daily-activity';

describe('daily upload activity', () => {
  const now = new Date('2026-12-06T18:30:00Z');

  it('starts the window at midnight UTC, today counting as the last day', () => {
    expect(activityWindowStart(1, now).toISOString()).toBe('2026-12-06T00:00:00.000Z');
    expect(activityWindowStart(30, now).toISOString()).toBe('2026-11-07T00:00:00.000Z');
  });

  it('has a row for every day, zeros included, and sums each day’s uploads and bytes', () => {
    const fold = new DailyActivityFold(activityWindowStart(3, now), 3);
    fold.add(new Date('2026-12-04T00:00:00Z'), 10);
    fold.add(new Date('2026-12-04T23:59:59.999Z'), 5);
    fold.add(new Date('2026-12-06T12:00:00Z'), 7);
    expect(fold.result()).toEqual([
      { date: '2026-12-04', uploads: 2, bytes: 15 },
      { date: '2026-12-05', uploads: 0, bytes: 0 },
      { date: '2026-12-06', uploads: 1, bytes: 7 },
    ]);
  });

  it('ignores events outside the window and counts an upload without a usable size', () => {
    const fold = new DailyActivityFold(activityWindowStart(2, now), 2);
    fold.add(new Date('2026-12-04T23:59:59Z'), 100);
    fold.add(new Date('2026-12-07T00:00:00Z'), 100);
    fold.add(new Date('2026-12-06T01:00:00Z'), undefined);
    fold.add(new Date('2026-12-06T02:00:00Z'), 'big');
    expect(fold.result()).toEqual([
      { date: '2026-12-05', uploads: 0, bytes: 0 },
      { date: '2026-12-06', uploads: 2, bytes: 0 },
    ]);
  });
});
