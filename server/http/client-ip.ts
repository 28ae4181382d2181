import type { Context } from 'hono';
import type { BlockList } from 'node:net';
import type { TrustedProxies } from '../config';
import { inNetworks, networkList, plainAddress } from './networks';

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

const compiled = new WeakMap<TrustedProxies, BlockList>();

function trustedNetworks(trust: { networks: string[] }): BlockList {
  let list = compiled.get(trust);
  if (!list) compiled.set(trust, (list = networkList(trust.networks)));
  return list;
}

/**
 * The caller's IP for rate limiting. X-Forwarded-For is read from the right, because only its right end was written
 * by proxies we trust: each appends the address it saw, while whatever stands on the left came from the client.
 * With `hops` the client is that many addresses away from the socket; with `networks` it is the first address,
 * walking from the socket, that is not one of the proxies. With neither, the header is ignored.
 */
export function clientIp(c: Context, trust: TrustedProxies): string {
  const socket = plainAddress((c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown');
  const forwarded = (c.req.header('X-Forwarded-For') ?? '')
    .split(',')
    .map(plainAddress)
    .filter((hop) => hop !== '');
  // Nearest first: the socket's peer, then what it forwarded, right to left.
  const chain = [socket, ...forwarded.reverse()];
  let client: string;
  if ('hops' in trust) {
    client = chain[Math.min(trust.hops, chain.length - 1)]!;
  } else {
    const networks = trustedNetworks(trust);
    client = chain.find((address) => !inNetworks(networks, address)) ?? chain.at(-1)!;
  }
  // A rate-limit key, not an address to connect to: bounded whatever a proxy wrote.
  return client.slice(0, 64);
}
