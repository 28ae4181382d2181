// A Pipedrive webhook carries the HTTP Basic credentials the admin set when creating it (http_auth_user and
// http_auth_password of POST /api/v1/webhooks, pipedrive/client-nodejs src/versions/v1/models/add-webhook-request.ts),
// as `Authorization: Basic base64(user:password)`. Headway keeps only the hash of "user:password" (event_token_hash).

/** "user:password" from a Basic Authorization header, or null when the header is absent or not Basic. */
export function basicCredentials(header: string | undefined): string | null {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]{1,1000})$/i.exec(header?.trim() ?? '')?.[1];
  if (!encoded) return null;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  return text.includes(':') ? text : null;
}
