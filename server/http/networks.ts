import { BlockList, isIP } from 'node:net';

// Addresses and networks as an admin writes them (HEADWAY_TRUST_PROXY, the webhook allowlist) and as a socket or a
// resolver reports them. Node's BlockList does the matching, IPv4-mapped IPv6 included.

/** "10.0.0.0/8", "fd00::/8", or one address ("192.0.2.1", "::1"), which is a network of one. */
export function isNetwork(text: string): boolean {
  return parseNetwork(text) !== null;
}

interface Network {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

function parseNetwork(text: string): Network | null {
  const [address = '', prefixText, extra] = text.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
  if (prefix < 0 || prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** A matcher for these networks; every entry must be valid (callers validate them once, at start-up or on save). */
export function networkList(networks: readonly string[]): BlockList {
  const list = new BlockList();
  for (const text of networks) {
    const network = parseNetwork(text);
    if (!network) throw new Error(`Not an address or network: ${text}`);
    list.addSubnet(network.address, network.prefix, network.family);
  }
  return list;
}

/** An address as sockets, headers and URLs write it, without brackets or a zone: "[::1]" → "::1". */
export function plainAddress(text: string): string {
  const bare = text.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  return bare;
}

/** Whether this address (any spelling plainAddress accepts) lies in the list; a non-address never does. */
export function inNetworks(list: BlockList, text: string): boolean {
  const address = plainAddress(text);
  const version = isIP(address);
  if (version === 0) return false;
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
