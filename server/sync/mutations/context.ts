import type { Locale } from '../../../core/i18n';
import type { CrmInstance, MutationResult, User } from '../../../core/schema';
import type { Refused, RefusalStatus } from '../../refusal/refused';
import type { StoreKind } from '../../store/store';
import type { Tx } from '../../store/transaction';
import type { ChangeEntry } from '../change-log';

export type FailureCode = NonNullable<MutationResult['error']>['code'];

const FAILURE_OF_STATUS: Record<Exclude<RefusalStatus, 503>, FailureCode> = { 400: 'invalid', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 413: 'invalid' };

/**
 * A mutation refused (Refused, thrown before anything is written, so the rest of the batch goes on in the same
 * transaction) as its push result says it: the failure code follows from the status the route doing the same thing
 * answers, the sentence is in the pusher's language. A busy database is no refusal of one mutation: it fails the
 * whole push (503): it is thrown on, not mapped.
 */
export function failureOf(refused: Refused, locale: Locale): { ok: false; code: FailureCode; message: string } {
  if (refused.status === 503) throw refused;
  return { ok: false, code: FAILURE_OF_STATUS[refused.status], message: refused.render(locale) };
}

export interface MutationContext {
  tx: Tx;
  kind: StoreKind;
  user: User;
  now: string;
  /** The pusher's language, for the sentences of refused mutations. */
  locale: Locale;
  /** Users of the workspace, loaded at most once per batch (owner mapping). */
  users(): Promise<User[]>;
  /** The workspace's CRM tenants, loaded at most once per batch: records of any other tenant are refused. */
  tenants(): Promise<CrmInstance[]>;
}

export type MutationHandler<A> = (context: MutationContext, args: A) => Promise<ChangeEntry[]>;
