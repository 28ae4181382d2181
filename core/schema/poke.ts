import { z } from 'zod';

// The poke channel (DESIGN.md "Sync protocol"): one WebSocket per browser over which the server says "pull now".
// It carries no data; the client pulls from its own cursor as it always does.

/** Where the socket connects (ws:// or wss:// on the server's origin). */
export const pokePath = '/api/sync/poke';

/**
 * The device token travels in the first message, never in the URL (URLs are logged) and not as a header (a service
 * worker's WebSocket cannot set one).
 */
export const PokeHello = z.object({ type: z.literal('hello'), token: z.string().min(10).max(200) });
/** The client's keepalive: Chrome keeps an extension's service worker alive while WebSocket messages flow. */
export const PokePing = z.object({ type: z.literal('ping') });
export const PokeClientMessage = z.discriminatedUnion('type', [PokeHello, PokePing]);
export type PokeClientMessage = z.infer<typeof PokeClientMessage>;

export const PokeServerMessage = z.discriminatedUnion('type', [
  /** Authenticated; pokes committed from now on will arrive. The client pulls once on it (it may have missed some). */
  z.object({ type: z.literal('ready') }),
  /** Something this user may see was committed: pull from your cursor. */
  z.object({ type: z.literal('pull') }),
  z.object({ type: z.literal('pong') }),
]);
export type PokeServerMessage = z.infer<typeof PokeServerMessage>;

/** Close codes the server uses (4000–4999 are the application's); the reason says the same in words. */
export const pokeCloseCodes = {
  /** The first message was no hello, or a message could not be read. */
  badMessage: 4400,
  /** The token is unknown, revoked, or its person disabled: pair again; reconnecting with it will not help. */
  unauthorized: 4401,
  /** No hello within `pokeHelloTimeoutMs`. */
  helloTimeout: 4408,
  /** The server is shutting down (reconnect elsewhere, with backoff). */
  goingAway: 1001,
} as const;

/** The client pings this often: under Chrome's 30 s service-worker idle limit, with room to spare. */
export const pokeKeepaliveMs = 20_000;
/** How long an opened socket may stay silent before saying hello. */
export const pokeHelloTimeoutMs = 10_000;
