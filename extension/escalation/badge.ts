import type { WxtBrowser } from 'wxt/browser';
import { isAddressed } from '../../core/escalation';
import type { EscalationStatus, Recipient, User } from '../../core/schema';

/** What the toolbar badge shows: the number of things that need the user, and which ones, in its tooltip. */
export interface BadgeView {
  text: string;
  color: string;
  title: string;
}

const WAITING_COLOR = '#b45309'; // amber: only changes waiting to sync
const NEEDS_YOU_COLOR = '#b91c1c'; // red: an escalation waits for your acknowledgement

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * One number for "what needs me": changes of mine still waiting to sync plus open escalations addressed to me that
 * I have not acknowledged. Red when any escalation is among them (it has a clock running), amber otherwise.
 * needsMe null = the inbox could not be asked (offline, not paired): only the outbox counts then.
 */
export function badgeView(pending: number, needsMe: number | null): BadgeView {
  const escalations = needsMe ?? 0;
  const total = pending + escalations;
  const parts = [
    ...(escalations > 0 ? [`${plural(escalations, 'escalation waits', 'escalations wait')} for your acknowledgement`] : []),
    ...(pending > 0 ? [`${plural(pending, 'change waits', 'changes wait')} to sync`] : []),
  ];
  return {
    text: total === 0 ? '' : total > 99 ? '99+' : String(total),
    color: escalations > 0 ? NEEDS_YOU_COLOR : WAITING_COLOR,
    title: parts.length === 0 ? 'Headway' : `Headway: ${parts.join('; ')}`,
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
    const view = badgeView(pending, needsMe);
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
