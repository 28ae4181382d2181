import type { WxtBrowser } from 'wxt/browser';
import { isAddressed } from '../../../core/escalation';
import { inboxMessages } from '../../escalation/i18n';
import { translator, type Locale } from '../../../core/i18n';
import { backgroundLocale } from '../../reader-language';
import type { EscalationStatus, Recipient, User } from '../../../core/schema';

/** What the toolbar badge shows: the number of things that need the user, and which ones, in its tooltip. */
export interface BadgeView {
  text: string;
  color: string;
  title: string;
}

const WAITING_COLOR = '#b45309'; // amber: only changes waiting to sync
const NEEDS_YOU_COLOR = '#b91c1c'; // red: an escalation waits for your acknowledgement

/**
 * One number for "what needs me": changes of mine still waiting to sync plus open escalations addressed to me that
 * I have not acknowledged. Red when any escalation is among them (it has a clock running), amber otherwise.
 * needsMe null = the inbox could not be asked (offline, not paired): only the outbox counts then.
 */
export function badgeView(pending: number, needsMe: number | null, locale: Locale = 'en'): BadgeView {
  const t = translator(inboxMessages, locale);
  const escalations = needsMe ?? 0;
  const total = pending + escalations;
  // A tooltip lists what needs the user, one whole clause per kind.
  const parts = [
    ...(escalations > 0 ? [t('tooltipEscalations', { count: escalations })] : []),
    ...(pending > 0 ? [t('tooltipChanges', { count: pending })] : []),
  ];
  return {
    text: total === 0 ? '' : total > 99 ? '99+' : String(total),
    color: escalations > 0 ? NEEDS_YOU_COLOR : WAITING_COLOR,
    title: parts.length === 0 ? 'Headway' : t('tooltip', { items: parts.join('; ') }),
  };
}

/**
 * The escalation half of the badge, from an inbox answer: open ones addressed to me. Those above the recipients see
 * them too, but only what is addressed to me is mine to acknowledge; an acknowledged one no longer needs anyone.
 */
export function needsMeOf(inbox: readonly { status: EscalationStatus; to: Recipient }[], me: Pick<User, 'id' | 'role'>): number {
  return inbox.filter((esc) => esc.status === 'open' && isAddressed(esc, me)).length;
}

type ActionLike = Pick<NonNullable<WxtBrowser['action']>, 'setBadgeText' | 'setBadgeBackgroundColor' | 'setTitle'>;

/**
 * The badge's two sources report separately (the sync runner after every outbox change, the inbox look after a
 * pull); the badge is redrawn from both, and only when what it shows changes.
 */
export function createToolbarBadge(action: ActionLike | undefined) {
  let pending = 0;
  let needsMe: number | null = null;
  let shown = '';
  function draw(): void {
    const view = badgeView(pending, needsMe, backgroundLocale());
    const key = JSON.stringify(view);
    if (key === shown || !action) return;
    shown = key;
    void action.setBadgeText({ text: view.text }).catch(() => undefined);
    void action.setBadgeBackgroundColor({ color: view.color }).catch(() => undefined);
    void action.setTitle({ title: view.title }).catch(() => undefined);
  }
  return {
    setPending(count: number): void {
      pending = count;
      draw();
    },
    setNeedsMe(count: number | null): void {
      needsMe = count;
      draw();
    },
    counts: () => ({ pending, needsMe }),
  };
}
export type ToolbarBadge = ReturnType<typeof createToolbarBadge>;
