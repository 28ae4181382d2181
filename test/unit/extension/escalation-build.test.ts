import { describe, expect, it } from 'vitest';
import { EscalationInput, type EscalationPresetResponse, type EscalationView } from '../../../core/schema';
import { senderMay } from '../../../extension/background/hub';
import { buildEscalation, defaultRecipient, joinedInto, statusLineFor, type CachedEscalation } from '../../../extension/escalation/build';
import { EscalationRequest } from '../../../extension/escalation/messages';
import { BackgroundRequest } from '../../../extension/messages';
import { contextFacts, sortForInbox } from '../../../components/Escalation/inbox-model';

const record = { crm: 'suitecrm' as const, instance: 'https://crm.example.test', recordType: 'deal' as const, crmId: 'opp-1' };
const fields = { title: 'Acme renewal', amount: 12500, currency: 'eur', stage: 'Negotiation', ownerLabel: 'Marco Rossi' };

describe('one-click escalation input', () => {
  it('offline without a last choice: a shortcoming at normal severity, to the head for a manager, with what the page showed', () => {
    const { input, reason } = buildEscalation({ id: 'e_1', role: 'manager', record, fields, url: 'https://crm.example/opp-1', preset: null, last: null });
    expect(EscalationInput.safeParse(input).success).toBe(true);
    expect(input).toMatchObject({ category: 'shortcoming', severity: 'normal', to: { role: 'head' }, title: 'Shortcoming: Acme renewal (€12,500 · Negotiation)', record });
    expect(input.context).toMatchObject({ title: 'Acme renewal', amount: 12500, currency: 'EUR', stage: 'Negotiation', owner: 'Marco Rossi', link: 'https://crm.example/opp-1' });
    expect(reason).toBe('default');
  });

  it('offline for a Russian sender: the label and the amount in Russian, the English one unchanged', () => {
    const russian = buildEscalation({ id: 'e_1ru', role: 'manager', record, fields, url: null, preset: null, last: null, locale: 'ru' }).input;
    expect(russian.title).toBe('Недоработка: Acme renewal (12\u00a0500\u00a0€ · Negotiation)');
  });

  it('offline with a last choice: that category, severity and recipient; no record makes a department proposal', () => {
    const last = { category: 'approval' as const, severity: 'high' as const, to: { role: 'exec' as const } };
    expect(buildEscalation({ id: 'e_2', role: 'manager', record, fields, url: null, preset: null, last }).input).toMatchObject({ category: 'approval', severity: 'high', to: { role: 'exec' } });
    const proposal = buildEscalation({ id: 'e_3', role: 'head', record: null, fields: {}, url: 'javascript:alert(1)', preset: null, last: null }).input;
    expect(proposal).toMatchObject({ category: 'proposal', record: null, to: { role: 'exec' }, title: 'Proposal: Department' });
    expect(buildEscalation({ id: 'e_5', role: 'manager', record: null, fields: {}, url: null, preset: null, last }).input).toMatchObject({ category: 'proposal', severity: 'high' });
    expect((proposal.context as { link: unknown }).link).toBeNull();
    expect(defaultRecipient(null)).toEqual({ role: 'head' });
  });

  it("the server's preset wins, and the page's values win over the server's reading of the deal", () => {
    const preset: EscalationPresetResponse = {
      preset: { category: 'approval', severity: 'high', title: 'Approval needed on Acme renewal', to: { userId: 'u-dana' }, reason: 'discount-above-threshold' },
      context: { title: 'Acme (old name)', amount: 9000, currency: 'EUR', stage: 'Proposal', owner: null, expectedClose: '2026-12-01', record, link: null, notes: [] },
      deal: null,
    };
    const { input, reason } = buildEscalation({ id: 'e_4', role: 'manager', record, fields, url: null, preset, last: null });
    expect(input).toMatchObject({ category: 'approval', severity: 'high', to: { userId: 'u-dana' }, title: 'Approval needed on Acme renewal' });
    expect(input.context).toMatchObject({ title: 'Acme renewal', amount: 12500, stage: 'Negotiation', expectedClose: '2026-12-01' });
    expect(reason).toBe('discount-above-threshold');
  });
});

describe("the sidebar's escalation line", () => {
  const base = { record, to: { role: 'head' as const }, decision: null };
  const escalations: CachedEscalation[] = [
    { ...base, id: 'a', fromId: 'me', status: 'resolved', decision: 'Approved at 12 %', createdAt: '2026-11-01T10:00:00Z' },
    { ...base, id: 'b', fromId: 'someone-else', status: 'open', createdAt: '2026-11-03T10:00:00Z' },
  ];
  it("shows my newest escalation on this record, not someone else's nor another record's", () => {
    expect(statusLineFor(escalations, record, 'me')).toEqual({ text: 'Resolved: Approved at 12 %', tone: 'ok' });
    expect(statusLineFor(escalations, { ...record, crmId: 'other' }, 'me').text).toBeNull();
  });
  it('words the waiting states, naming who acknowledged and who resolved when the server says', () => {
    const pending = [{ ...base, id: 'c', fromId: null, status: 'open', createdAt: '2026-11-04T10:00:00Z' }];
    expect(statusLineFor(pending, record, 'me').text).toBe('Escalated · waiting to sync');
    const acked: CachedEscalation[] = [{ ...base, id: 'd', fromId: 'me', status: 'acknowledged', createdAt: '2026-11-04T10:00:00Z', acknowledgedBy: { id: 'u-m', name: 'Morgan Lee' } }];
    expect(statusLineFor(acked, record, 'me').text).toBe('Escalated · acknowledged by Morgan Lee');
    // An older server (or an unknown name) leaves the name out rather than guess.
    expect(statusLineFor([{ ...acked[0]!, acknowledgedBy: null }], record, 'me').text).toBe('Escalated · acknowledged');
    expect(statusLineFor([{ ...acked[0]!, acknowledgedBy: { id: 'u-m', name: ' ' } }], record, 'me').text).toBe('Escalated · acknowledged');
    expect(statusLineFor([{ ...acked[0]!, status: 'open' }], record, 'me').text).toBe('Escalated · waiting for Head of sales');
    const resolved = [{ ...acked[0]!, status: 'resolved', decision: 'Approved at 12 %', resolvedBy: { id: 'u-m', name: 'Morgan Lee' } }];
    expect(statusLineFor(resolved, record, 'me')).toEqual({ text: 'Resolved by Morgan Lee: Approved at 12 %', tone: 'ok' });
    // In a Russian browser: «передано руководству», and the decision as its author wrote it.
    expect(statusLineFor([{ ...acked[0]!, status: 'open' }], record, 'me', new Set(), 'ru').text).toBe('Передано руководству · ждёт ответа · кому: Руководитель отдела продаж');
    expect(statusLineFor(pending, record, 'me', new Set(), 'ru').text).toBe('Передано руководству · ждёт синхронизации');
    expect(statusLineFor(resolved, record, 'me', new Set(), 'ru').text).toBe('Решение (Morgan Lee): Approved at 12 %');
  });
  it('shows the escalation my click joined, and says it joined', () => {
    const theirs: CachedEscalation = { ...base, id: 'e', fromId: 'someone-else', status: 'acknowledged', createdAt: '2026-11-05T10:00:00Z', participantIds: ['me'], comments: [{ id: 'my-click', authorId: 'me' }], acknowledgedBy: { id: 'u-m', name: 'Morgan Lee' } };
    expect(joinedInto([theirs], 'my-click')?.id).toBe('e');
    expect(joinedInto([theirs], 'other-click')).toBeNull();
    expect(statusLineFor([theirs], record, 'me').text).toBe('Joined the open escalation · acknowledged by Morgan Lee');
    // Joined without becoming a participant (I could see it already): the remembered join still finds it.
    const seen = { ...theirs, participantIds: [] };
    expect(statusLineFor([seen], record, 'me').text).toBeNull();
    expect(statusLineFor([seen], record, 'me', new Set(['e'])).text).toBe('Joined the open escalation · acknowledged by Morgan Lee');
  });
});

describe('escalation messages', () => {
  it('are part of the background protocol; only escalate and the status line are open to content scripts', () => {
    expect(BackgroundRequest.safeParse({ type: 'escalate', record, fields: {}, url: null }).success).toBe(true);
    expect(EscalationRequest.safeParse({ type: 'escalation-act', id: 'x', action: { type: 'resolve' } }).success).toBe(false);
    const base = 'chrome-extension://abc/';
    const contentScript = 'https://crm.example/deal/1';
    expect(senderMay('escalate', contentScript, base)).toBe(true);
    expect(senderMay('escalation-status', contentScript, base)).toBe(true);
    for (const type of ['escalation-act', 'escalation-detail', 'escalations-list', 'escalation-undo', 'escalation-refine', 'escalation-sent', 'escalation-inbox-count'] as const) {
      expect(senderMay(type, contentScript, base), type).toBe(false);
      expect(senderMay(type, `${base}inbox.html`, base), type).toBe(true);
    }
  });
});

describe('inbox order and context', () => {
  const view = (id: string, over: Partial<EscalationView>): EscalationView =>
    ({ id, status: 'open', severity: 'normal', overdue: false, createdAt: '2026-11-01T00:00:00Z', ...over }) as EscalationView;
  it('waiting first; overdue, then severity, then newest; answered ones last', () => {
    const sorted = sortForInbox([
      view('resolved-new', { status: 'resolved', createdAt: '2026-11-09T00:00:00Z' }),
      view('normal-new', { createdAt: '2026-11-05T00:00:00Z' }),
      view('critical', { severity: 'critical' }),
      view('overdue-low', { severity: 'low', overdue: true }),
      view('normal-old', { createdAt: '2026-11-02T00:00:00Z' }),
    ]);
    expect(sorted.map((esc) => esc.id)).toEqual(['overdue-low', 'critical', 'normal-new', 'normal-old', 'resolved-new']);
  });
  it('shows only the known context fields, as text', () => {
    expect(contextFacts({ title: '<b>Acme</b>', amount: 1500.5, currency: 'EUR', stage: 7, evil: 'x' })).toEqual([
      { label: 'Record', value: '<b>Acme</b>' },
      { label: 'Amount', value: '€1,500.5' },
    ]);
  });
});
