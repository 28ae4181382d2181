import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { pickLocale, recipientLocale, translator, type Locale, type Params, type Translate } from '../../core/i18n';
import type { ApiError, Role, User } from '../../core/schema';
import { readSettings } from '../store/workspace';
import type { AppEnv } from './env';
import { httpMessages } from './i18n';
import type { Refused } from '../refusal/refused';

/** Every error answer has the ApiError shape; nothing else (no stack, no SQL) ever leaves the server. */
export function apiError(c: Context, status: ContentfulStatusCode, error: string, message: string, extra: Partial<ApiError> & Record<string, unknown> = {}) {
  return c.json({ error, message, ...extra } satisfies ApiError, status);
}

/**
 * The language to answer a request in: the caller's own setting once their token is known, else the first language
 * of Accept-Language that Headway speaks (the browser sends it), else English.
 */
export function requestLocale(c: Context): Locale {
  const user = c.get('user') as User | undefined;
  if (user?.locale) return user.locale;
  const accepted = (c.req.header('Accept-Language') ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim())
    .filter((tag) => tag !== '' && tag !== '*');
  return pickLocale(accepted);
}

/** The http catalogue in the request's language. */
export function httpText(c: Context): Translate<typeof httpMessages.en> {
  return translator(httpMessages, requestLocale(c));
}

/** A refusal worded from the http catalogue in the caller's language; the machine code stays as it is. */
export function refuse(c: Context, status: ContentfulStatusCode, error: string, key: keyof typeof httpMessages.en, params?: Params, extra: Partial<ApiError> & Record<string, unknown> = {}) {
  return apiError(c, status, error, httpText(c)(key, params), extra);
}

/** The one HTTP answer to a domain refusal: its code, the status that code carries, its sentence in the caller's language. */
export function answerRefusal(c: Context, refused: Refused) {
  if (refused.retryAfterSeconds !== undefined) c.header('Retry-After', String(refused.retryAfterSeconds));
  return apiError(c, refused.status, refused.code, refused.render(requestLocale(c)));
}

/** "the head of sales or the admin", in the reader's language. */
export function rolesText(t: Translate<typeof httpMessages.en>, roles: readonly Role[]): string {
  return roles.map((role) => t(role)).reduce((first, second) => t('or', { first, second }));
}

/** The signed-in reader of a document the server writes (a report): their own language, else the workspace's. */
export async function documentLocale(c: Context<AppEnv>): Promise<Locale> {
  return recipientLocale(c.var.user.locale, (await readSettings(c.var.deps.store.db)).locale);
}
