import { said, type Messages, type Said, type SaidParams } from '../i18n';
import type { EscalationAction, EscalationStatus, TransitionRefusalCode } from '../schema';
import { escalationMessages, transitionRefusalMessages } from './i18n';

/** Why a transition was refused: a code, the sentence to show in the reader's language, and its English. */
export interface TransitionRefusal {
  ok: false;
  code: TransitionRefusalCode;
  reason: Said;
  /** The English sentence, for logs and tests. */
  message: string;
}

type RefusalCatalogue = typeof transitionRefusalMessages.en;

export function refuse<K extends keyof RefusalCatalogue & string>(code: TransitionRefusalCode, key: K, ...params: keyof SaidParams<RefusalCatalogue[K]> extends never ? [] : [SaidParams<RefusalCatalogue[K]>]): TransitionRefusal {
  const reason = (said as (messages: Messages<RefusalCatalogue>, key: K, params?: object) => Said)(transitionRefusalMessages, key, params[0]);
  return { ok: false, code, reason, message: reason.render('en') };
}

/** "withdraw it", "принять её в работу": what the person tried, as the refusal names it. */
export const actionWords = (type: Exclude<EscalationAction['type'], 'comment' | 'join' | 'escalate-up'>): Said => said(transitionRefusalMessages, `action.${type}`);

export const statusWord = (status: EscalationStatus): Said => said(escalationMessages, `status.${status}`);
