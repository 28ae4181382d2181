import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// Plumbing shared by the CRM contract fakes: they are real HTTP servers on loopback, so the connectors' own HTTP
// code (timeouts, retries, TLS, keep-alive) runs exactly as against the vendor.

export type PhpValue = string | PhpValue[] | { [key: string]: PhpValue };

/** A query string or form body as PHP reads it: `filter[date_modified][gte]=x` becomes nested objects. */
export function phpParams(search: string): Record<string, PhpValue> {
  const root: Record<string, PhpValue> = {};
  for (const [rawKey, value] of new URLSearchParams(search)) {
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!match) continue;
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)];
    let node: Record<string, PhpValue> = root;
    path.forEach((key, index) => {
      if (index === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, PhpValue>;
    });
  }
  return root;
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function send(response: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

/** Apache's 404 page, what a PHP app answers for a path it has no file or rewrite rule for. */
export function apacheNotFound(response: ServerResponse, path: string): void {
  send(
    response,
    404,
    `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL ${path} was not found on this server.</p>\n</body></html>\n`,
    'text/html; charset=iso-8859-1',
  );
}

/** nginx's `limit_req` answer with `limit_req_status 429`, as a reverse proxy in front of a CRM gives it. */
export function proxyTooManyRequests(response: ServerResponse, retryAfterSeconds: number): void {
  send(
    response,
    429,
    '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    'text/html',
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/** A contract fake's HTTP server on a loopback port; a handler that throws answers 500 with the error as text. */
export async function listenOnLoopback(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RunningFake<F> {
  fake: F;
  origin: string;
  close(): Promise<void>;
}

/** Starts a fake on a loopback port; `handle` gets the origin it is served at (a vendor's answers name it). */
export async function startFake<F>(fake: F, handle: (fake: F, origin: string, request: IncomingMessage, response: ServerResponse) => Promise<void>): Promise<RunningFake<F>> {
  let origin = '';
  const server = await listenOnLoopback((request, response) => handle(fake, origin, request, response));
  origin = server.origin;
  return { fake, origin, close: server.close };
}

/** What every fake counts: the requests it answered (a test reads them) and every nth one it rate-limits. */
export class FakeTraffic<Entry> {
  readonly log: Entry[] = [];
  requestCount = 0;
  /** After this many more listings every listing fails (connection reset); null: never. */
  failListingAfter: number | null = null;

  /** Counts a listing against failListingAfter; true when this one must fail (its socket destroyed). */
  listingFails(): boolean {
    if (this.failListingAfter === null) return false;
    if (this.failListingAfter <= 0) return true;
    this.failListingAfter -= 1;
    return false;
  }

  record(entry: Entry): void {
    this.log.push(entry);
    if (this.log.length > 100_000) this.log.splice(0, 50_000);
  }

  /** Counts a request; true when it is the nth under a limit of every nth (null: no limit). */
  limited(limit: { everyNth: number } | null = null): boolean {
    this.requestCount += 1;
    return limit !== null && this.requestCount % limit.everyNth === 0;
  }
}

/** The request log entry most fakes keep. */
export interface FakeLogEntry {
  method: string;
  path: string;
  status: number;
}
