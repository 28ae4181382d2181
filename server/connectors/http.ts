import { ConnectorError, redact } from './errors';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** An answer's body as JSON, or undefined when it is not JSON (a proxy's HTML page, a PHP notice). */
export function parseJson(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

/** A connector's verdict on an answer: retry after this many ms (null: backoff), or take it as it is. */
export type RetryVerdict = { retry: true; afterMs: number | null } | { retry: false };

export interface HttpOptions {
  /** Secrets never to let through into an error message. */
  secrets: readonly string[];
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  /** Longest wait the CRM may ask for (Retry-After); beyond it the sync stops and resumes at the next run. */
  maxWaitMs?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

const tlsCodes = /CERT|SELF_SIGNED|TLS|SSL|EPROTO|ERR_SSL/i;
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function causeCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return (error as { name?: string } | null)?.name === 'TimeoutError' ? 'ETIMEDOUT' : '';
}

/** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Keeps a connector's requests `spacingMs` apart (a CRM's per-second limit): `take()` is the wait before the next
 * one, never longer than the spacing, counted from when the one before went.
 */
export class Spacing {
  private lastAt = 0;

  constructor(private readonly spacingMs: number) {}

  take(now = Date.now()): number {
    const wait = Math.min(this.spacingMs, Math.max(0, this.lastAt + this.spacingMs - now));
    this.lastAt = now + wait;
    return wait;
  }
}

/**
 * Every request a connector makes goes through here: a timeout, retries with exponential backoff and full jitter on
 * network failures, 429 and 503 (Retry-After honoured), and on whatever the connector's `verdict` calls a vendor
 * rate-limit answer; failures become ConnectorErrors with plain words (TLS, unreachable, rate limited).
 */
export class ConnectorHttp {
  readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly maxWaitMs: number;
  private readonly baseDelayMs: number;
  private readonly timeoutMs: number;
  /** Requests sent (retries included); the sync reports it and tests read it. */
  requests = 0;
  /** Total ms spent waiting for rate limits and backoff. */
  waitedMs = 0;

  constructor(private readonly options: HttpOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Full jitter: a random wait up to base·2^(attempt−1), capped. */
  backoffMs(attempt: number): number {
    return Math.floor(this.random() * Math.min(this.maxWaitMs, this.baseDelayMs * 2 ** (attempt - 1)));
  }

  async request(request: HttpRequest, verdict: (answer: HttpAnswer) => RetryVerdict = () => ({ retry: false })): Promise<HttpAnswer> {
    for (let attempt = 1; ; attempt++) {
      let answer: HttpAnswer;
      try {
        answer = await this.send(request);
      } catch (error) {
        const failure = this.networkFailure(request, error);
        if (failure.kind === 'tls' || attempt >= this.maxAttempts) throw failure;
        await this.wait(this.backoffMs(attempt));
        continue;
      }
      const asked = this.retryWanted(answer, verdict);
      if (!asked.retry) return answer;
      const waitMs = asked.afterMs ?? this.backoffMs(attempt);
      if (attempt >= this.maxAttempts || waitMs > this.maxWaitMs) {
        const seconds = Math.ceil(waitMs / 1000);
        throw new ConnectorError('rate_limited', `The CRM keeps asking us to slow down (HTTP ${answer.status}${asked.afterMs !== null ? `, retry after ${seconds} s` : ''}); the sync resumes at its next run.`, seconds);
      }
      await this.wait(waitMs);
    }
  }

  private retryWanted(answer: HttpAnswer, verdict: (answer: HttpAnswer) => RetryVerdict): RetryVerdict {
    const vendor = verdict(answer);
    if (vendor.retry) return vendor;
    if (answer.status === 429 || answer.status === 503) return { retry: true, afterMs: retryAfterMs(answer.headers.get('retry-after')) };
    return { retry: false };
  }

  private async wait(ms: number): Promise<void> {
    this.waitedMs += ms;
    if (ms > 0) await this.sleep(ms);
  }

  private async send(request: HttpRequest): Promise<HttpAnswer> {
    this.requests += 1;
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  private networkFailure(request: HttpRequest, error: unknown): ConnectorError {
    const code = causeCode(error);
    const host = new URL(request.url).host;
    if (tlsCodes.test(code)) {
      return new ConnectorError('tls', `The TLS certificate of ${host} is not trusted (${code}). Install a certificate a public CA signed, or add its CA to NODE_EXTRA_CA_CERTS on the Headway server.`);
    }
    const detail = redact(code || (error instanceof Error ? error.message : String(error)), this.options.secrets);
    if (unreachableCodes.has(code) || code === '') {
      return new ConnectorError('unreachable', `${host} cannot be reached from the Headway server (${detail}). Check the address, DNS and firewall.`);
    }
    return new ConnectorError('unreachable', `The request to ${host} failed (${detail}).`);
  }
}
