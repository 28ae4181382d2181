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

export interface FakeLogEntry {
  method: string;
  path: string;
  status: number;
}

/** What every contract fake counts: the requests it answered (for tests to read) and the nth-request rate limit. */
export class RequestLog<E extends FakeLogEntry = FakeLogEntry> {
  readonly log: E[] = [];
  requestCount = 0;
  /** After this many more listings every listing fails (connection reset); null: never. */
  failListingAfter: number | null = null;

  record(entry: E): void {
    this.log.push(entry);
    if (this.log.length > 100_000) this.log.splice(0, 50_000);
  }

  /** Counts a request; true when it is one the rate limit answers (every nth since the count was reset). */
  limited(everyNth: number | null | undefined): boolean {
    this.requestCount += 1;
    return typeof everyNth === 'number' && this.requestCount % everyNth === 0;
  }

  /** For a listing request: true when it must fail now (the caller then resets the connection). */
  listingFails(): boolean {
    if (this.failListingAfter === null) return false;
    if (this.failListingAfter <= 0) return true;
    this.failListingAfter -= 1;
    return false;
  }
}

export interface RunningServer {
  origin: string;
  close(): Promise<void>;
}

/** A contract fake's HTTP server on a loopback port; a handler that throws answers 500 with the error. */
export async function listen(handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>): Promise<RunningServer> {
  const server = createServer((request, response) => {
    handler(request, response).catch((error: unknown) => {
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
