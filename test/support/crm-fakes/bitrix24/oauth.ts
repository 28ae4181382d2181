import { randomBytes } from 'node:crypto';

// The OAuth half of the Bitrix24 fake: the authorization server (GET /oauth/token/, as oauth.bitrix24.tech answers
// it) and the tokens it issued. Shapes from github.com/bitrix-tools/b24-rest-docs (mirrored): settings/oauth/
// auto-renewal.md (grant_type=refresh_token with client_id, client_secret, refresh_token; 200 with access_token,
// refresh_token, expires, expires_in, client_endpoint, server_endpoint, domain, member_id, scope, status, user_id;
// the access token lives an hour), settings/oauth/error-codes.md ({error, error_description}: invalid_client,
// invalid_grant, PAYMENT_REQUIRED), _includes/system-errors.md (a method called with a lapsed token: 401
// expired_token "The access token provided has expired"). The docs do not say whether a refresh token survives its
// renewal; this fake takes the strict reading (it is spent), the one a connector must survive.

export interface B24App {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

interface AccessToken {
  userId: string;
  expiresAt: number;
}

export const b24App: B24App = { clientId: 'local.6651f0c3a1b2d4.90817263', clientSecret: 'Qw3rTy7uIo9pAs2dFg5hJk8lZx1cVb4nM6', scopes: ['crm', 'user'] };

export class B24AuthServer {
  readonly refreshTokens = new Map<string, string>();
  readonly accessTokens = new Map<string, AccessToken>();
  /** Refresh tokens spent by a renewal, to tell a replayed token from a made-up one in tests. */
  readonly spent = new Set<string>();
  readonly memberId = randomBytes(16).toString('hex');

  constructor(
    readonly app: B24App,
    private readonly now: () => number,
  ) {}

  /** What the app's installation hands the admin: a refresh token for the user who installed it. */
  issueRefreshToken(userId: string): string {
    const token = randomBytes(16).toString('hex');
    this.refreshTokens.set(token, userId);
    return token;
  }

  /** GET /oauth/token/: the answer's status and body. */
  token(params: URLSearchParams, origin: string): { status: number; body: Record<string, unknown> } {
    if (params.get('grant_type') !== 'refresh_token') return { status: 400, body: { error: 'invalid_request', error_description: 'Unsupported grant_type' } };
    if (params.get('client_id') !== this.app.clientId || params.get('client_secret') !== this.app.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Invalid client' } };
    }
    const given = params.get('refresh_token') ?? '';
    const userId = this.refreshTokens.get(given);
    if (userId === undefined) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid grant' } };
    this.refreshTokens.delete(given);
    this.spent.add(given);
    const refresh = this.issueRefreshToken(userId);
    const access = randomBytes(16).toString('hex');
    const expiresAt = this.now() + 3_600_000;
    this.accessTokens.set(access, { userId, expiresAt });
    return {
      status: 200,
      body: {
        access_token: access, expires: Math.floor(expiresAt / 1000), expires_in: 3600, scope: this.app.scopes.join(','), domain: 'oauth.bitrix24.tech',
        server_endpoint: 'https://oauth.bitrix24.tech/rest/', status: 'L', client_endpoint: `${origin}/rest/`, member_id: this.memberId, user_id: Number(userId), refresh_token: refresh,
      },
    };
  }

  /** The user a method call's `auth` acts as, or the error the portal answers. */
  userOf(auth: string): { userId: string } | { error: 'expired_token' | 'NO_AUTH_FOUND' } {
    const token = this.accessTokens.get(auth);
    if (!token) return { error: 'NO_AUTH_FOUND' };
    return token.expiresAt <= this.now() ? { error: 'expired_token' } : { userId: token.userId };
  }

  /** Every access token lapses now (an hour passed). */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = this.now();
  }
}
