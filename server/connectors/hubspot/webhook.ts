import { createHmac, timingSafeEqual } from 'node:crypto';

// HubSpot's v3 request signature (developers.hubspot.com/docs/api/webhooks/validating-requests; HubSpot/
// hubspot-api-nodejs src/utils/signature.ts): X-HubSpot-Signature-v3 is the base64 HMAC-SHA256, keyed with the app's
// client secret, of method + URI + body + X-HubSpot-Request-Timestamp (epoch ms); a timestamp more than 5 minutes
// old is refused, so a captured delivery cannot be replayed later.

export const signatureMaxAgeMs = 5 * 60_000;

/** The characters HubSpot decodes in the URI before signing (the same page's "decode" table). */
const decoded: Record<string, string> = { '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';' };

function signingUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (match) => decoded[match.toUpperCase()]!);
}

/**
 * The URIs HubSpot may have signed: the one this server saw and, behind a TLS-terminating proxy, the same with
 * https and the forwarded host. Trying each is safe: none verifies without the client secret.
 */
export function candidateUris(seen: string, forwardedProto: string | undefined, forwardedHost: string | undefined): string[] {
  const url = new URL(seen);
  const forms = new Set([url.toString()]);
  for (const protocol of new Set(['https:', url.protocol, ...(forwardedProto ? [`${forwardedProto.split(',')[0]!.trim()}:`] : [])])) {
    for (const host of new Set([url.host, ...(forwardedHost ? [forwardedHost.split(',')[0]!.trim()] : [])])) {
      const form = new URL(url.toString());
      form.protocol = protocol;
      form.host = host;
      forms.add(form.toString());
    }
  }
  return [...forms];
}

export interface SignedDelivery {
  method: string;
  uris: readonly string[];
  body: string;
  timestamp: string;
  signature: string;
}

export function hubSpotSignature(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method}${signingUri(uri)}${body}${timestamp}`, 'utf8').digest('base64');
}

/** 'ok', 'stale' (timestamp missing or outside 5 minutes) or 'bad' (no URI's signature matches). */
export function verifyHubSpotDelivery(delivery: SignedDelivery, secret: string, nowMs: number): 'ok' | 'stale' | 'bad' {
  const at = /^\d{10,16}$/.test(delivery.timestamp) ? Number(delivery.timestamp) : Number.NaN;
  if (Number.isNaN(at) || Math.abs(nowMs - at) > signatureMaxAgeMs) return 'stale';
  const given = Buffer.from(delivery.signature, 'base64');
  for (const uri of delivery.uris) {
    const expected = Buffer.from(hubSpotSignature(secret, delivery.method, uri, delivery.body, delivery.timestamp), 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return 'ok';
  }
  return 'bad';
}
