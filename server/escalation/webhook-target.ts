import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { inNetworks, networkList, plainAddress } from '../http/networks';

/**
 * Where a webhook may not go unless the admin allows the network (HEADWAY_WEBHOOK_ALLOW_NETWORKS): this host
 * itself, private and carrier networks, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254), multicast
 * and reserved ranges. Otherwise anyone who can set the URL reaches what only the server can (issue 13 §5).
 * IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) match the IPv4 entries.
 */
const INTERNAL_NETWORKS = networkList([
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4',
  '::/128', '::1/128', '64:ff9b::/96', '100::/64', 'fc00::/7', 'fe80::/10', 'ff00::/8',
]);

export class WebhookTargetRefused extends Error {}

/** The address as written when it is internal and its network not allowed: a webhook may not go there. */
function refusedInternal(address: string, allowed: readonly string[]): string | null {
  if (!inNetworks(INTERNAL_NETWORKS, address)) return null;
  if (allowed.length > 0 && inNetworks(networkList(allowed), address)) return null;
  return plainAddress(address);
}

/** Why this address may not be a webhook's, or null when it may; for the delivery log, which the admin reads. */
export function internalAddressProblem(address: string, allowed: readonly string[]): string | null {
  const refused = refusedInternal(address, allowed);
  return refused === null ? null : `${refused} is an internal address (loopback, private, link-local, multicast or reserved); an admin may allow its network with HEADWAY_WEBHOOK_ALLOW_NETWORKS.`;
}

/** The check a saved URL gets: the internal address it names (a literal one, or a name that only ever means this host), or null. */
export function internalWebhookAddress(url: string, allowed: readonly string[]): string | null {
  const host = plainAddress(new URL(url).hostname);
  if (isIP(host) !== 0) return refusedInternal(host, allowed);
  if (/(^|\.)localhost\.?$/i.test(host)) return refusedInternal('127.0.0.1', allowed) === null ? null : host;
  return null;
}

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * The resolver the connection itself uses, so the address checked is the address connected to: a name that resolves
 * to a public address when saved and to 127.0.0.1 at delivery (DNS rebinding) is refused then.
 */
function guardedLookup(resolve: Resolve, allowed: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const usable = addresses.filter((a) => options.family === undefined || options.family === 0 || a.family === options.family);
        const refused = usable.map((a) => internalAddressProblem(a.address, allowed)).find((problem) => problem !== null);
        if (refused || usable.length === 0) {
          callback(new WebhookTargetRefused(refused ?? `${hostname} has no address to deliver to.`), '', 0);
        } else if (options.all) {
          (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
        } else {
          callback(null, usable[0]!.address, usable[0]!.family);
        }
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowed: readonly string[];
  resolve?: Resolve;
}

/** POSTs a webhook and answers the receiver's status; no redirect is followed (it could lead anywhere). */
export function postWebhook(post: WebhookPost): Promise<number> {
  const url = new URL(post.url);
  const host = plainAddress(url.hostname);
  // A literal address is connected to without a look-up, so it is checked here.
  const literal = isIP(host) !== 0 ? internalAddressProblem(host, post.allowed) : null;
  if (literal) return Promise.reject(new WebhookTargetRefused(literal));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'Content-Length': String(Buffer.byteLength(post.body)) },
        lookup: guardedLookup(post.resolve ?? systemResolve, post.allowed),
        timeout: post.timeoutMs,
      },
      (response) => {
        // The body is not needed; reading it frees the connection.
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`The webhook receiver did not answer within ${post.timeoutMs} ms.`)));
    request.on('error', reject);
    request.end(post.body);
  });
}
