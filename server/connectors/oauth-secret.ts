import { ConnectorError } from './errors';

/**
 * HEADWAY_CRM_SECRET for an OAuth app that renews with a refresh token (Bitrix24, Zoho CRM): the app's client secret
 * and the refresh token, joined by a colon. Neither holds a colon or a space in these CRMs.
 */
export function clientSecretAndRefreshToken(secret: string, readmeSection: string): { clientSecret: string; refreshToken: string } {
  const colon = secret.indexOf(':');
  const clientSecret = colon < 0 ? '' : secret.slice(0, colon).trim();
  const refreshToken = colon < 0 ? '' : secret.slice(colon + 1).trim();
  if (!clientSecret || !refreshToken || /\s/.test(clientSecret + refreshToken)) {
    throw new ConnectorError('rejected', `HEADWAY_CRM_SECRET must be the app's client secret and a refresh token, joined by a colon: "<client secret>:<refresh token>" (README, "${readmeSection}").`);
  }
  return { clientSecret, refreshToken };
}
