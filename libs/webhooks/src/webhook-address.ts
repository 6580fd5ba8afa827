import ipaddr from 'ipaddr.js';

/** Addresses cloud providers answer instance metadata (and credentials) on. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254']);

const REFUSED_RANGES: Record<string, string> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private (RFC 1918) address',
  uniqueLocal: 'a private (unique local) address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
};

/**
 * Why a webhook may not be sent to this address, or undefined when it is a public unicast one.
 * Everything that is not plain unicast is refused (reserved, documentation, 6to4, Teredo, NAT64…);
 * IPv4-mapped IPv6 is judged as the IPv4 address it carries.
 */
export function refusedAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.process(address);
  const normal = parsed.toNormalizedString();
  if (METADATA_ADDRESSES.has(normal) || METADATA_ADDRESSES.has(parsed.toString())) {
    return 'a cloud metadata address';
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  return REFUSED_RANGES[range] ?? `a reserved address (${range})`;
}
