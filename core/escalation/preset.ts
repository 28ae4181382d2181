import type {
  Deal,
  EscalationCategory,
  EscalationContextSnapshot,
  EscalationPreset,
  EscalationSettings,
  Note,
  Severity,
  User,
} from '../schema';
import { formatsOf, translator, type Locale, type Params } from '../i18n';
import { presetMessages } from './i18n';
import { routeEscalation } from './routing';
import { clampText } from './text';

export { clampText };

const TITLE_MAX = 300;
const SNAPSHOT = { title: 300, stage: 200, owner: 200, link: 2000, summary: 400, nextStep: 200 } as const;

type PresetKey = keyof typeof presetMessages.en;

/**
 * Builds a title around the deal's name and clamps the name, not the sentence, so the part that says why
 * ("20 % discount") survives a very long deal title. The message is worded with `{title}` left in place (the
 * translator leaves a placeholder it is not given), and the name goes where the first one stands: every other
 * placeholder follows it or is a figure, so a `{title}` typed into a note cannot come first.
 */
function titleAround(locale: Locale, key: PresetKey, dealTitle: string, params: Params = {}, after = ''): string {
  const worded = translator(presetMessages, locale)(key, params);
  const at = worded.indexOf('{title}');
  const before = worded.slice(0, at);
  const rest = worded.slice(at + '{title}'.length) + after;
  const room = TITLE_MAX - before.length - rest.length;
  return `${before}${clampText(dealTitle, Math.max(room, 1))}${rest}`.slice(0, TITLE_MAX);
}

function live(notes: readonly Note[]): Note[] {
  return notes.filter((n) => n.deletedAt === null);
}

/** "22.5 %" / "22,5 %": a discount to a tenth of a point. */
function formatPct(pct: number, locale: Locale): string {
  const formats = formatsOf(locale);
  return formats.percent(0).replace('0', formats.digits(Math.round(pct * 10) / 10, 1));
}

export interface PresetInput {
  deal?: Deal | null;
  /** The notes on this deal (others are ignored by the caller, deleted ones here). */
  notes: readonly Note[];
  settings: Pick<EscalationSettings, 'discountApprovalPct' | 'rules'>;
  sender: Pick<User, 'role'>;
  lastChoice: { category: EscalationCategory; severity: Severity } | null;
  /** The sender's local date, ISO. */
  today: string;
  /** The sender's language, which the title is written in; English when not given. */
  locale?: Locale;
}

/**
 * What the escalation form opens with, so one click sends something sensible: what the record itself says comes
 * first (a slipped close date, a discount above the threshold), then the sender's habit, then the mildest default.
 */
export function presetEscalation(input: PresetInput): EscalationPreset {
  const { deal, settings, lastChoice, today, locale = 'en' } = input;
  const t = translator(presetMessages, locale);
  const to = routeEscalation(input.sender, settings.rules);
  const dealTitle = deal ? deal.title.trim() || t('untitled') : null;

  if (deal && dealTitle !== null && deal.status === 'open' && deal.expectedClose !== null && deal.expectedClose < today) {
    return {
      category: 'decision',
      // A slipped deal moves the plan's landing, so it should not wait behind routine requests.
      severity: 'high',
      // English keeps the ISO day it always showed; Russian writes the day as a Russian reader does.
      title: titleAround(locale, 'pastClose', dealTitle, { day: locale === 'en' ? deal.expectedClose : formatsOf(locale).day(deal.expectedClose) }),
      to,
      reason: 'past-close-date',
    };
  }

  const discounts = live(input.notes).flatMap((n) => (n.discountPct === undefined ? [] : [n.discountPct]));
  const maxDiscount = discounts.length ? Math.max(...discounts) : null;
  if (maxDiscount !== null && maxDiscount > settings.discountApprovalPct) {
    const percent = formatPct(maxDiscount, locale);
    return {
      category: 'approval',
      severity: 'normal',
      title: dealTitle === null ? t('discount', { percent }) : titleAround(locale, 'discountOn', dealTitle, { percent }),
      to,
      reason: 'discount-above-threshold',
    };
  }

  // The newest note's objection is what the sender most likely needs a decision on.
  const objecting = live(input.notes)
    .filter((n) => n.objections?.trim())
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
  if (deal && dealTitle !== null && deal.status === 'open' && objecting && !lastChoice) {
    const objection = clampText(condense(objecting.objections!), 80);
    return {
      category: 'decision',
      severity: 'normal',
      title: titleAround(locale, 'objection', dealTitle, { side: t(`side.${objecting.side}`), objection }),
      to,
      reason: 'objection',
    };
  }

  const category = lastChoice?.category ?? 'shortcoming';
  const label = t(`title.${category}`);
  return {
    category,
    severity: lastChoice?.severity ?? 'normal',
    title: dealTitle === null ? label : titleAround(locale, 'labelled', dealTitle, { label }, dealFacts(deal ?? {}, locale)),
    to,
    reason: lastChoice ? 'last-choice' : 'default',
  };
}

/**
 * " (€157,200 · Negotiation)": what a recipient needs to weigh an escalation from its title alone in a list,
 * when the title has nothing more specific to say.
 */
export function dealFacts(facts: { amount?: number | null; currency?: string | null; stage?: string | null }, locale: Locale = 'en'): string {
  const parts = [
    facts.amount === null || facts.amount === undefined ? null : formatsOf(locale).money(facts.amount, facts.currency ?? undefined),
    facts.stage?.trim() ? clampText(condense(facts.stage), 40) : null,
  ].filter((part): part is string => part !== null);
  return parts.length ? ` (${parts.join(' · ')})` : '';
}

function condense(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function noteSummary(note: Note): string {
  const parts = [
    note.text,
    note.asked ? `asked: ${note.asked}` : '',
    note.offered ? `offered: ${note.offered}` : '',
    note.objections ? `objections: ${note.objections}` : '',
  ]
    .map(condense)
    .filter((p) => p !== '');
  return clampText(parts.join(' · '), SNAPSHOT.summary);
}

/** The deal as the sender saw it, attached to the escalation: plain data, every text capped, latest 3 notes. */
export function snapshotContext(deal: Deal | null, notes: readonly Note[], link: string | null): EscalationContextSnapshot {
  const latest = live(notes)
    .slice()
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .slice(0, 3);
  const safeLink = link !== null && link.length <= SNAPSHOT.link ? link : null;
  return {
    title: clampText(deal?.title ?? latest[0]?.recordTitle ?? '', SNAPSHOT.title),
    amount: deal?.amount ?? null,
    currency: deal?.currency ?? null,
    stage: deal?.stage ? clampText(deal.stage, SNAPSHOT.stage) : null,
    owner: deal?.ownerLabel ? clampText(deal.ownerLabel, SNAPSHOT.owner) : null,
    expectedClose: deal?.expectedClose ?? null,
    record: deal ? { crm: deal.crm, instance: deal.instance, crmId: deal.crmId, recordType: deal.recordType } : (latest[0]?.record ?? null),
    // A link cut in half leads nowhere, so an over-long one is dropped rather than clamped.
    link: safeLink ?? (deal?.url && deal.url.length <= SNAPSHOT.link ? deal.url : null),
    notes: latest.map((note) => ({
      at: note.createdAt,
      side: note.side,
      summary: noteSummary(note),
      discountPct: note.discountPct ?? null,
      nextStep: note.nextStep ? clampText(condense(note.nextStep), SNAPSHOT.nextStep) : null,
    })),
  };
}
