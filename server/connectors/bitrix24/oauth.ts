import { ConnectorError, excerpt, redact } from '../errors';
import { parseJson, type ConnectorHttp } from '../http';
import { clientSecretAndRefreshToken } from '../oauth-secret';
import type { ConnectionCredential, SecretRotation } from '../types';

// Bitrix24 through an OAuth 2.0 app (a local app of the portal, or a Market app installed on it), as b24restdocs
// documents it: settings/oauth/auto-renewal.md — GET https://oauth.bitrix24.tech/oauth/token/?grant_type=
// refresh_token&client_id&client_secret&refresh_token (the older name oauth.bitrix.info answers the same) answers
// {access_token, refresh_token, expires, expires_in, client_endpoint, member_id, scope, status, user_id}; the access
// token lives an hour, the refresh token 180 days, and every renewal answers a new refresh token "to save instead of
// the previous one". Method calls go to client_endpoint + method with the token as `auth` (settings/how-to-call-
// rest-api/authorization.md); an expired one answers 401 expired_token (_includes/system-errors.md), upon which the
// pair is renewed and the call repeated (auto-renewal.md, "Рекомендуемая логика"). The same article warns against
// renewing before every call or on a schedule, so the access token is kept with the refresh token and used until
// the portal says it expired. Authorization-server errors: settings/oauth/error-codes.md.

/** The public authorization server (settings/oauth/index.md). */
export const bitrixOAuthServer = 'https://oauth.bitrix24.tech';

/** What Headway keeps sealed for an OAuth connection. The admin gives "client secret:refresh token"; renewals add the rest. */
export interface B24Grant {
  clientSecret: string;
  refreshToken: string;
  accessToken: string | null;
  /** When the access token lapses, ms since the epoch. */
  expiresAt: number | null;
}

const stored = 'b24-oauth:';

export function grantOf(secret: string): B24Grant {
  if (secret.startsWith(stored)) return JSON.parse(secret.slice(stored.length)) as B24Grant;
  const { clientSecret, refreshToken } = clientSecretAndRefreshToken(secret, 'Connect Bitrix24');
  return { clientSecret, refreshToken, accessToken: null, expiresAt: null };
}

export function secretOf(grant: B24Grant): string {
  return `${stored}${JSON.stringify(grant)}`;
}

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

/** A renewal's margin: an access token this close to its end is renewed before it is used. */
const marginMs = 60_000;

/**
 * The OAuth side of a Bitrix24 connection: a valid access token and where to call, renewing the pair when the
 * portal says the token expired and storing each new refresh token (rotation.save) before the new access token is used.
 */
export class B24OAuth {
  private grant: B24Grant;
  private renewal: Promise<void> | null = null;
  private readonly clientId: string;
  private readonly server: string;
  readonly secrets: string[];

  constructor(
    credential: ConnectionCredential,
    private readonly http: ConnectorHttp,
    private readonly rotation: SecretRotation | undefined,
    server: string | undefined,
    private readonly now: () => number,
  ) {
    if (!credential.clientId) throw new ConnectorError('rejected', 'Bitrix24 OAuth needs --client-id: the app\'s client_id (README, "Connect Bitrix24").');
    this.clientId = credential.clientId;
    this.grant = grantOf(credential.secret);
    this.server = server ?? bitrixOAuthServer;
    this.secrets = [credential.secret, this.grant.clientSecret, this.grant.refreshToken];
  }

  /**
   * A live access token, renewing first when none is known or it lapsed. Calls go to the portal's own /rest/ (the
   * address the admin named, which client_endpoint names too), so the token is never sent anywhere else.
   */
  async token(): Promise<string> {
    const { accessToken, expiresAt } = this.grant;
    if (accessToken && expiresAt !== null && expiresAt - marginMs > this.now()) return accessToken;
    await this.renewFrom(accessToken);
    return this.grant.accessToken!;
  }

  /**
   * Renews the pair the portal refused `used` from, once however many calls were refused at once (the sync reads
   * users and pipelines side by side): a refresh token is good for one renewal only.
   */
  async renewFrom(used: string | null): Promise<void> {
    if (this.grant.accessToken !== used) return;
    this.renewal ??= this.renew().finally(() => {
      this.renewal = null;
    });
    await this.renewal;
  }

  /** A new pair from the refresh token; refused, it first looks for a newer one another process stored. */
  private async renew(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.http.request({
        method: 'GET',
        url: `${this.server}/oauth/token/?${new URLSearchParams({ grant_type: 'refresh_token', client_id: this.clientId, client_secret: this.grant.clientSecret, refresh_token: this.grant.refreshToken })}`,
        headers: { Accept: 'application/json' },
      });
      const body = parseJson(answer) as TokenAnswer | undefined;
      if (answer.status === 200 && body?.access_token && body.refresh_token) {
        await this.adopt(body);
        return;
      }
      if (body?.error === 'invalid_grant' && attempt === 0) {
        const newer = await this.rotation?.load();
        if (newer) {
          this.take(grantOf(newer));
          // Another process renewed first; its access token may still be live.
          if (this.grant.accessToken && this.grant.expiresAt !== null && this.grant.expiresAt - marginMs > this.now()) return;
          continue;
        }
      }
      throw this.failure(answer.status, body, answer.text);
    }
  }

  private async adopt(body: TokenAnswer): Promise<void> {
    const next: B24Grant = {
      clientSecret: this.grant.clientSecret,
      refreshToken: body.refresh_token!,
      accessToken: body.access_token!,
      expiresAt: this.now() + (body.expires_in ?? 3600) * 1000,
    };
    this.take(next);
    // Stored before the new access token is used: the old refresh token is spent already.
    await this.rotation?.save(secretOf(next));
  }

  private take(grant: B24Grant): void {
    this.grant = grant;
    this.secrets.push(grant.refreshToken, ...(grant.accessToken ? [grant.accessToken] : []));
  }

  private failure(status: number, body: TokenAnswer | undefined, text: string): ConnectorError {
    const said = redact([body?.error, body?.error_description].filter(Boolean).join(': ') || excerpt(text), this.secrets);
    if (body === undefined) return new ConnectorError('unreachable', `Bitrix24's authorization server did not answer as one (HTTP ${status}: ${excerpt(redact(text, this.secrets), 120)}).`);
    switch (body.error) {
      case 'invalid_grant':
        return new ConnectorError('bad_credential', `Bitrix24's authorization server refused the refresh token (${said}): it lapsed after 180 days unused, the app was reinstalled, or it was spent by a renewal whose answer never reached the database. Authorize the app again and run crm connect with the new refresh token.`);
      case 'invalid_client':
        return new ConnectorError('bad_credential', `Bitrix24 refused the app (${said}). Check --client-id and the client secret in HEADWAY_CRM_SECRET, and that the app is installed on this portal.`);
      case 'insufficient_scope':
      case 'invalid_scope':
        return new ConnectorError('missing_rights', `The Bitrix24 app lacks a permission (${said}). Give the app the scopes crm and user (README, "Connect Bitrix24").`);
      case 'PAYMENT_REQUIRED':
        return new ConnectorError('api_off', `Bitrix24 will not renew the app's token until its subscription is paid (${said}).`);
      default:
        return new ConnectorError('bad_response', `Bitrix24's authorization server answered HTTP ${status}: ${said}`);
    }
  }
}
