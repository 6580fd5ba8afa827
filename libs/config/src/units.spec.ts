import { parseByteSize, parseDuration } from './units';

describe('parseByteSize', () => {
  it.each([
    ['1048576', 1048576],
    ['50MB', 50 * 1024 * 1024],
    ['50mb', 50 * 1024 * 1024],
    ['1.5GB', 1.5 * 1024 ** 3],
    ['100 KB', 100 * 1024],
    ['2gb', 2 * 1024 ** 3],
  ])('%s is %d bytes', (text, expected) => {
    expect(parseByteSize(text)).toBe(expected);
  });

  it.each(['', 'lots', '50XB', '-5MB', '0', '0MB', '12abc', '1e9', 'MB', '5 MB extra'])(
    'rejects %p',
    (text) => {
      expect(parseByteSize(text)).toBeUndefined();
    },
  );
});

describe('parseDuration', () => {
  it.each([
    ['15m', 15 * 60_000],
    ['30d', 30 * 86_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['90', 90_000],
    ['2w', 14 * 86_400_000],
  ])('%s is %d ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each(['', 'soon', '15 minutes', '-1m', '0', '0s', '10y', 'm'])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
