import { said, type Locale, type Messages, type Said, type SaidParams } from '../../core/i18n';
import { refusalMessages } from './i18n';

/**
 * Every code a refusal may carry, with the HTTP status it answers: the status follows from the code, never from the
 * thrower. The codes are the wire's (`{ error, message }`), so clients and tests that read them keep working.
 */
export const REFUSAL_STATUS = {
  invalid: 400,
  invalid_plan: 400,
  invalid_settings: 400,
  forbidden: 403,
  foreign_tenant: 403,
  'not-found': 404,
  unknown_deal: 404,
  unknown_move: 404,
  conflict: 409,
  mutation_gap: 409,
  'invalid-state': 409,
  'not-due': 409,
  'at-top': 409,
  duplicate_plan: 409,
  deal_closed: 409,
  deal_unowned: 409,
  same_owner: 409,
  not_a_manager: 409,
  target_absent: 409,
  segment_not_served: 409,
  move_pending: 409,
  stale_version: 409,
  invalid_transition: 409,
  owner_changed: 409,
  payload_too_large: 413,
  invalid_encoding: 400,
  invalid_body: 400,
  busy: 503,
} as const satisfies Record<string, 400 | 403 | 404 | 409 | 413 | 503>;

export type RefusalCode = keyof typeof REFUSAL_STATUS;
export type RefusalStatus = (typeof REFUSAL_STATUS)[RefusalCode];

/**
 * Something Headway will not do as asked, and nothing was written: the one refusal type of the server's domain.
 * The HTTP layer answers it once (server/app.ts), the push path maps it once (server/sync/mutations/context.ts),
 * each in its caller's language; `message` is the English wording, for logs and the CLI's fallback.
 */
export class Refused extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly text: Said,
    /** For a refusal that passes (busy): when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(text.render('en'));
  }

  get status(): RefusalStatus {
    return REFUSAL_STATUS[this.code];
  }

  render(locale: Locale): string {
    return this.text.render(locale);
  }
}

type RefusalCatalogue = typeof refusalMessages.en;

/** A refusal worded from the server's refusal catalogue, its placeholders typed by the English sentence. */
export function refusal<K extends keyof RefusalCatalogue & string>(code: RefusalCode, key: K, ...params: keyof SaidParams<RefusalCatalogue[K]> extends never ? [] : [SaidParams<RefusalCatalogue[K]>]): Refused {
  return new Refused(code, (said as (messages: Messages<RefusalCatalogue>, key: K, params?: object) => Said)(refusalMessages, key, params[0]));
}
