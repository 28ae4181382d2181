import { describe, expect, it } from 'vitest';
import { badgeView, createToolbarBadge, needsMeOf } from '../../../extension/background/escalation/badge';
import { badgeMeaning } from '../../../components/Escalation/PopupEscalation';

describe('the toolbar badge', () => {
  it('counts what needs me: changes waiting to sync plus escalations waiting for my acknowledgement', () => {
    expect(badgeView(0, 0)).toEqual({ text: '', color: '#b45309', title: 'Headway' });
    expect(badgeView(3, 0)).toEqual({ text: '3', color: '#b45309', title: 'Headway: 3 changes wait to sync' });
    expect(badgeView(0, 1)).toEqual({ text: '1', color: '#b91c1c', title: 'Headway: 1 escalation waits for your acknowledgement' });
    expect(badgeView(1, 2)).toEqual({ text: '3', color: '#b91c1c', title: 'Headway: 2 escalations wait for your acknowledgement; 1 change waits to sync' });
    expect(badgeView(1, 2, 'ru').title).toBe('Headway: 2 обращения ждут, когда вы примете их в работу; 1 изменение ждёт синхронизации');
    expect(badgeView(5, 0, 'ru').title).toBe('Headway: 5 изменений ждут синхронизации');
    // Not paired or the inbox not reachable: only the outbox counts.
    expect(badgeView(2, null).text).toBe('2');
    expect(badgeView(120, 5).text).toBe('99+');
  });

  it('is redrawn from both sources, and only when what it shows changes', async () => {
    const calls: string[] = [];
    const action = {
      setBadgeText: async ({ text }: { text: string }) => void calls.push(`text:${text}`),
      setBadgeBackgroundColor: async ({ color }: { color: string }) => void calls.push(`color:${color}`),
      setTitle: async ({ title }: { title: string }) => void calls.push(`title:${title}`),
    };
    const badge = createToolbarBadge(action as never);
    badge.setPending(2);
    expect(calls).toEqual(['text:2', 'color:#b45309', 'title:Headway: 2 changes wait to sync']);
    calls.length = 0;
    badge.setPending(2);
    expect(calls).toEqual([]);
    badge.setNeedsMe(1);
    expect(calls).toEqual(['text:3', 'color:#b91c1c', 'title:Headway: 1 escalation waits for your acknowledgement; 2 changes wait to sync']);
    expect(badge.counts()).toEqual({ pending: 2, needsMe: 1 });
    // Without a toolbar action (a test, an old browser) it still keeps count.
    const headless = createToolbarBadge(undefined);
    headless.setNeedsMe(4);
    expect(headless.counts()).toEqual({ pending: 0, needsMe: 4 });
  });

  it('counts as needing me only open escalations addressed to me, by role or by name', () => {
    const head = { id: 'u-hana', role: 'head' as const };
    const inbox = [
      { status: 'open' as const, to: { role: 'head' as const } },
      { status: 'open' as const, to: { userId: 'u-hana' } },
      // Acknowledged: it still waits in the inbox, but no longer needs anyone's acknowledgement.
      { status: 'acknowledged' as const, to: { role: 'head' as const } },
      // Seen from above the recipients, not addressed to me.
      { status: 'open' as const, to: { role: 'manager' as const } },
      { status: 'open' as const, to: { userId: 'u-ben' } },
    ];
    expect(needsMeOf(inbox, head)).toBe(2);
    expect(needsMeOf([], head)).toBe(0);
  });

  it('is explained in the popup in the same terms', () => {
    expect(badgeMeaning(0, 0)).toMatch(/Nothing now/);
    expect(badgeMeaning(1, 2)).toBe('The toolbar badge (3) = 2 escalations to acknowledge + 1 change waiting to sync.');
    expect(badgeMeaning(2, null)).toBe('The toolbar badge (2) = 0 escalations to acknowledge + 2 changes waiting to sync.');
    expect(badgeMeaning(5, 1, 'ru')).toBe('Число на значке (6) = 1 обращение принять в работу + 5 изменений ждут синхронизации.');
  });
});
