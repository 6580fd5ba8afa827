import { byteCount } from './byte-count-header';

describe('byteCount', () => {
  it.each([
    ['0', 0],
    ['1048576', 1048576],
    ['007', 7],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %j as %d', (header, count) => {
    expect(byteCount(header)).toBe(count);
  });

  it.each([undefined, '', '-1', '1.5', ' 1', '1e3', '0x10', '9007199254740992', ['1', '2']])(
    'refuses %j',
    (header) => {
      expect(byteCount(header)).toBeUndefined();
    },
  );
});
