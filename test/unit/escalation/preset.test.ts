import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EscalationContextSnapshot, EscalationInput, EscalationPreset, EscalationRules, EscalationSettings } from '../../../core/schema';
import { clampText, presetEscalation, snapshotContext } from '../../../core/escalation';
import { deal, hanna, maya, note } from './fixtures';

const settings = EscalationSettings.parse({ discountApprovalPct: 15 });
const base = { notes: [], settings, sender: maya, lastChoice: null, today: '2026-11-27' };

describe('presetEscalation', () => {
  it('asks for a decision on an open deal past its close date', () => {
    expect(presetEscalation({ ...base, deal: deal({ expectedClose: '2026-11-26' }) })).toEqual({
      category: 'decision',
      severity: 'high',
      title: 'Decision needed: Acme renewal is past its close date (2026-11-26)',
      to: { role: 'head' },
      reason: 'past-close-date',
    });
  });

  it('does not call a deal closing today, or a won one, late', () => {
    expect(presetEscalation({ ...base, deal: deal({ expectedClose: '2026-11-27' }) }).category).toBe('shortcoming');
    expect(presetEscalation({ ...base, deal: deal({ expectedClose: '2026-10-01', status: 'won' }) }).category).toBe('shortcoming');
  });

  it('asks for approval when a note offers a discount above the threshold, and says how much', () => {
    const notes = [note({ discountPct: 10 }), note({ discountPct: 22.5 }), note({ discountPct: 40, deletedAt: '2026-11-21T10:00:00.000Z' })];
    expect(presetEscalation({ ...base, deal: deal(), notes })).toMatchObject({
      category: 'approval',
      title: 'Approval needed: 22.5 % discount on Acme renewal',
      reason: 'discount-above-threshold',
    });
    // Exactly at the threshold needs no approval.
    expect(presetEscalation({ ...base, deal: deal(), notes: [note({ discountPct: 15 })] }).category).toBe('shortcoming');
    // Without a deal the discount still counts.
    expect(presetEscalation({ ...base, notes: [note({ discountPct: 30 })] }).title).toBe('Approval needed: 30 % discount');
  });

  it('falls back to the sender’s last choice, then to shortcoming / normal', () => {
    expect(presetEscalation({ ...base, deal: deal(), lastChoice: { category: 'explanation', severity: 'low' } })).toMatchObject({
      category: 'explanation',
      severity: 'low',
      title: 'Explanation requested: Acme renewal (€48,000 · Negotiation)',
      reason: 'last-choice',
    });
    expect(presetEscalation(base)).toEqual({ category: 'shortcoming', severity: 'normal', title: 'Shortcoming', to: { role: 'head' }, reason: 'default' });
    // The title carries what the recipient weighs it by; a deal without amount or stage gets no empty brackets.
    expect(presetEscalation({ ...base, deal: deal() }).title).toBe('Shortcoming: Acme renewal (€48,000 · Negotiation)');
    expect(presetEscalation({ ...base, deal: deal({ amount: null, stage: null }) }).title).toBe('Shortcoming: Acme renewal');
  });

  it('asks for a decision on the newest objection a note records, unless the sender chose otherwise last time', () => {
    const notes = [
      note({ createdAt: '2026-11-01T10:00:00.000Z', objections: 'old worry' }),
      note({ createdAt: '2026-11-05T10:00:00.000Z', objections: '  Payment terms\n 60 days  ' }),
      note({ createdAt: '2026-11-09T10:00:00.000Z', objections: 'deleted one', deletedAt: '2026-11-10T10:00:00.000Z' }),
    ];
    expect(presetEscalation({ ...base, deal: deal(), notes })).toMatchObject({
      category: 'decision',
      title: 'Decision needed: Acme renewal — the buyer objects: “Payment terms 60 days”',
      reason: 'objection',
    });
    expect(presetEscalation({ ...base, deal: deal(), notes, lastChoice: { category: 'proposal', severity: 'low' } }).reason).toBe('last-choice');
    expect(presetEscalation({ ...base, deal: deal({ status: 'won' }), notes }).reason).toBe('default');
  });

  it('routes by the sender’s role as the admin configured it', () => {
    expect(presetEscalation({ ...base, sender: hanna }).to).toEqual({ role: 'exec' });
    const custom = { ...settings, rules: EscalationRules.parse({ routes: { manager: { userId: hanna.id }, head: { role: 'exec' }, exec: { role: 'exec' }, admin: { role: 'exec' } } }) };
    expect(presetEscalation({ ...base, settings: custom }).to).toEqual({ userId: hanna.id });
  });

  it('writes the title in the sender’s language, with Russian figures and days', () => {
    const ru = { ...base, locale: 'ru' as const };
    expect(presetEscalation({ ...ru, deal: deal({ amount: 16_640_000, currency: 'RUB', stage: 'Negotiation/Review' }) }).title).toBe(
      'Недоработка: Acme renewal (16\u00a0640\u00a0000\u00a0₽ · Negotiation/Review)',
    );
    expect(presetEscalation({ ...ru, deal: deal({ expectedClose: '2026-11-26' }) }).title).toBe('Нужно решение: Acme renewal — срок закрытия прошёл (26 нояб. 2026)');
    expect(presetEscalation({ ...ru, deal: deal(), notes: [note({ discountPct: 22.5 })] }).title).toBe('Нужно согласование: скидка 22,5\u00a0% — Acme renewal');
    expect(presetEscalation({ ...ru, notes: [note({ discountPct: 30 })] }).title).toBe('Нужно согласование: скидка 30\u00a0%');
    expect(presetEscalation({ ...ru, deal: deal(), notes: [note({ objections: 'сроки оплаты' })] }).title).toBe('Нужно решение: Acme renewal — покупатель возражает: «сроки оплаты»');
    expect(presetEscalation({ ...ru, deal: deal({ title: ' ', amount: null, stage: null }), lastChoice: { category: 'report-request', severity: 'low' } }).title).toBe('Нужен отчёт: сделка без названия');
    const long = presetEscalation({ ...ru, deal: deal({ title: 'Ω'.repeat(500), expectedClose: '2026-01-01' }) }).title;
    expect(long.length).toBeLessThanOrEqual(300);
    expect(long.endsWith('… — срок закрытия прошёл (1 янв. 2026)')).toBe(true);
  });

  it('clamps a long deal title but keeps the reason, so the title is always valid', () => {
    const long = deal({ title: 'Ω'.repeat(500), expectedClose: '2026-01-01' });
    const { title } = presetEscalation({ ...base, deal: long });
    expect(title.length).toBeLessThanOrEqual(300);
    expect(title.endsWith('… is past its close date (2026-01-01)')).toBe(true);
    expect(EscalationInput.shape.title.safeParse(title).success).toBe(true);
    expect(presetEscalation({ ...base, deal: deal({ title: '   ' }) }).title).toBe('Shortcoming: untitled deal (€48,000 · Negotiation)');
  });
});

describe('clampText', () => {
  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(8)}😀😀`;
    expect(clampText(text, 10)).toBe(`${'a'.repeat(8)}…`);
    expect(clampText('short', 10)).toBe('short');
  });
});

describe('snapshotContext', () => {
  it('keeps the deal’s essentials and the latest three notes, condensed', () => {
    const notes = [
      note({ createdAt: '2026-11-01T10:00:00.000Z', text: 'oldest' }),
      note({ createdAt: '2026-11-05T10:00:00.000Z', text: 'second\n\n  line', asked: '20 %', offered: '12 %', discountPct: 12 }),
      note({ createdAt: '2026-11-09T10:00:00.000Z', text: 'deleted', deletedAt: '2026-11-10T10:00:00.000Z' }),
      note({ createdAt: '2026-11-08T10:00:00.000Z', text: 'third', nextStep: 'send revised quote' }),
      note({ createdAt: '2026-11-07T10:00:00.000Z', text: 'fourth', side: 'seller' }),
    ];
    const snap = snapshotContext(deal(), notes, 'https://app.hubspot.com/contacts/123/deal/90210');
    expect(EscalationContextSnapshot.parse(snap)).toEqual(snap);
    expect(snap).toMatchObject({ title: 'Acme renewal', amount: 48000, currency: 'EUR', stage: 'Negotiation', owner: 'Maya Chen', expectedClose: '2026-12-15' });
    expect(snap.notes.map((n) => n.summary)).toEqual(['third', 'fourth', 'second line · asked: 20 % · offered: 12 %']);
    expect(snap.notes[0]?.nextStep).toBe('send revised quote');
    expect(snap.notes[2]?.discountPct).toBe(12);
  });

  it('caps every text, drops an over-long link and works without a deal', () => {
    const huge = 'x'.repeat(30_000);
    const snap = snapshotContext(deal({ title: huge.slice(0, 500), stage: huge.slice(0, 200), ownerLabel: huge.slice(0, 300) }), [note({ text: huge })], `https://x.example/${huge}`);
    expect(EscalationContextSnapshot.safeParse(snap).success).toBe(true);
    expect(snap.link).toBe('https://app.hubspot.com/contacts/123/deal/90210');
    expect(JSON.stringify(snap).length).toBeLessThan(2000);
    const noDeal = snapshotContext(null, [note({ recordTitle: 'Acme renewal' })], null);
    expect(noDeal).toMatchObject({ title: 'Acme renewal', amount: null, link: null, record: { crm: 'hubspot' } });
  });
});

describe('preset and snapshot properties', () => {
  const day = fc.integer({ min: 0, max: 800 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
  const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max }).map((s) => s.slice(0, max));
  const noteArb = fc.record({ text: text(20_000), discountPct: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }), asked: fc.option(text(2000), { nil: undefined }), nextStep: fc.option(text(2000), { nil: undefined }), createdAt: day.map((d) => `${d}T10:00:00.000Z`) });

  it('always gives a valid title and a snapshot that fits its schema and stays small', () => {
    fc.assert(
      fc.property(text(500), day, day, fc.constantFrom('open', 'won', 'lost' as const), fc.array(noteArb, { maxLength: 6 }), (title, expectedClose, today, status, raw) => {
        const notes = raw.map((n) => note(n));
        const d = deal({ title, expectedClose, status });
        const preset = presetEscalation({ ...base, deal: d, notes, today });
        expect(EscalationPreset.safeParse(preset).success).toBe(true);
        expect(EscalationInput.shape.title.safeParse(preset.title).success).toBe(true);
        const snap = snapshotContext(d, notes, d.url);
        expect(EscalationContextSnapshot.safeParse(snap).success).toBe(true);
        expect(JSON.stringify(snap).length).toBeLessThan(8_000);
      }),
      { numRuns: 200 },
    );
  });
});
