import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { apacheNotFound, proxyTooManyRequests, readBody } from '../http-util';
import { handleLegacy } from './legacy';
import { SuiteFake, type FakeSettings } from './state';
import { handleV8 } from './v8';

export interface RunningSuiteFake {
  fake: SuiteFake;
  /** The origin to give `crm connect`, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** Answers every request with this until cleared (a CRM going away mid-sync). */
  close(): Promise<void>;
}

/** A listing of Opportunities by either API (what a sync's pages are). */
function isListing(url: URL, raw: string): boolean {
  if (/\/V8\/module\/Opportunities$/.test(url.pathname)) return true;
  const form = new URLSearchParams(raw);
  return form.get('method') === 'get_entry_list' && (form.get('rest_data') ?? '').includes('"Opportunities"');
}

async function handle(fake: SuiteFake, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const raw = await readBody(request);
  if (fake.failListingAfter !== null && isListing(url, raw)) {
    if (fake.failListingAfter <= 0) {
      fake.record({ method: request.method ?? '', path: url.pathname, call: 'reset', status: 0 });
      request.socket.destroy();
      return;
    }
    fake.failListingAfter -= 1;
  }
  if (fake.limited()) {
    const limit = fake.settings.rateLimit!;
    fake.record({ method: request.method ?? '', path: url.pathname, call: 'rate limited', status: 429 });
    proxyTooManyRequests(response, limit.retryAfterSeconds);
    return;
  }
  if (await handleV8(fake, request, response, url, raw)) return;
  if (await handleLegacy(fake, request, response, url, raw)) return;
  apacheNotFound(response, url.pathname);
}

/** Starts the SuiteCRM contract fake on a loopback port (HTTPS when given a certificate). */
export async function startSuiteFake(settings: Partial<FakeSettings> = {}, tls?: { key: string; cert: string }): Promise<RunningSuiteFake> {
  const fake = new SuiteFake(settings);
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(fake, request, response).catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    });
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    fake,
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
