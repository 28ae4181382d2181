import { translator, type Locale } from '../i18n';
import type { EscalationAuditEntry, Recipient } from '../schema';
import { auditMessages, escalationWords } from './i18n';

/** A person's name as the reader's side knows it (the inbox's names, the server's users), or nothing. */
export type NameOf = (userId: string) => string | undefined;

/**
 * An audit entry's details in the reader's language: its facts worded now, an entry from before facts were kept
 * shown as it was written, nothing where the action says it all (acknowledged, withdrawn without a reason).
 */
export function auditDetails(entry: Pick<EscalationAuditEntry, 'action' | 'details'>, locale: Locale, nameOf: NameOf): string {
  const details = entry.details;
  if (details === null || typeof details === 'string') return details ?? '';
  const t = translator(auditMessages, locale);
  const recipient = (to: Recipient) => ('role' in to ? t(`recipient.${to.role}`) : (nameOf(to.userId) ?? t('unknownPerson', { id: to.userId })));
  switch (details.kind) {
    case 'opened': {
      const words = escalationWords(locale);
      return t('opened', { category: words.category(details.category), severity: words.severity(details.severity) });
    }
    case 'text':
      return details.text;
    case 'again':
      return t('again', { text: details.text });
    case 'moved': {
      const ends = { from: recipient(details.from), to: recipient(details.to) };
      if (entry.action === 'escalate-up') return t('movedUp', ends);
      return details.note ? t('movedNote', { ...ends, note: details.note }) : t('moved', ends);
    }
    case 'edited':
      return t(details.fields.length > 1 ? 'edited.both' : `edited.${details.fields[0]!}`);
  }
}

/** Who acted, for the CSV export: the SLA clock in the reader's words, a person by name. */
export function auditActor(actorId: string, locale: Locale, nameOf: NameOf): string {
  return actorId === 'system' ? translator(auditMessages, locale)('slaClock') : (nameOf(actorId) ?? '');
}
