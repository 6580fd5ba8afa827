import { refusedAddressReason } from './webhook-address';

describe('refusedAddressReason: where a webhook may not go', () => {
  it.each([['93.184.215.14'], ['8.8.8.8'], ['2606:4700:4700::1111'], ['::ffff:93.184.215.14']])(
    'lets the public address %s through',
    (address) => {
      expect(refusedAddressReason(address)).toBeUndefined();
    },
  );

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00::1', 'private'],
    ['fc12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:7f00:1', 'loopback'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2002:7f00:1::', 'reserved'],
    ['64:ff9b::a00:1', 'reserved'],
  ])('refuses %s as %s', (address, reason) => {
    expect(refusedAddressReason(address)).toContain(reason);
  });

  it('refuses what is not an address at all', () => {
    expect(refusedAddressReason('localhost')).toBe('not an IP address');
  });
});
