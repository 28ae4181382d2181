import type { ConnectorProblemKind } from '../../core/schema';

/**
 * A CRM call that failed in a way an admin can act on. The message is ours (plain words, what to do), and any
 * vendor text in it has passed through `redact`, because some CRMs echo the password in their errors.
 */
export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorProblemKind,
    message: string,
    /** Seconds the CRM asked us to wait (rate limits), when it said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Replaces every occurrence of each secret (and its URL-encoded form) in vendor text before it is shown or stored. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('•••');
  }
  return out;
}

/** Vendor text shortened for a one-line message. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
