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
import { formatMoney } from '../format/money';
import { routeEscalation } from './routing';
import { clampText } from './text';

export { clampText };

const TITLE_MAX = 300;
const SNAPSHOT = { title: 300, stage: 200, owner: 200, link: 2000, summary: 400, nextStep: 200 } as const;

/**
 * Builds a title around the deal's name and clamps the name, not the sentence, so the part that says why
 * ("20 % discount") survives a very long deal title.
 */
function titleAround(before: string, dealTitle: string, after: string): string {
  const room = TITLE_MAX - before.length - after.length;
  return `${before}${clampText(dealTitle, Math.max(room, 1))}${after}`.slice(0, TITLE_MAX);
}

const CATEGORY_LABEL: Record<EscalationCategory, string> = {
  shortcoming: 'Shortcoming',
  irregularity: 'Irregularity',
  approval: 'Approval needed',
  decision: 'Decision needed',
  explanation: 'Explanation requested',
  'report-request': 'Report requested',
  proposal: 'Proposal',
};

function live(notes: readonly Note[]): Note[] {
  return notes.filter((n) => n.deletedAt === null);
}

function formatPct(pct: number): string {
  return `${Math.round(pct * 10) / 10} %`;
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
}

/**
 * What the escalation form opens with, so one click sends something sensible: what the record itself says comes
 * first (a slipped close date, a discount above the threshold), then the sender's habit, then the mildest default.
 */
export function presetEscalation(input: PresetInput): EscalationPreset {
  const { deal, settings, lastChoice, today } = input;
  const to = routeEscalation(input.sender, settings.rules);
  const dealTitle = deal ? deal.title.trim() || 'untitled deal' : null;

  if (deal && dealTitle !== null && deal.status === 'open' && deal.expectedClose !== null && deal.expectedClose < today) {
    return {
      category: 'decision',
      // A slipped deal moves the plan's landing, so it should not wait behind routine requests.
      severity: 'high',
      title: titleAround('Decision needed: ', dealTitle, ` is past its close date (${deal.expectedClose})`),
      to,
      reason: 'past-close-date',
    };
  }

  const discounts = live(input.notes).flatMap((n) => (n.discountPct === undefined ? [] : [n.discountPct]));
  const maxDiscount = discounts.length ? Math.max(...discounts) : null;
  if (maxDiscount !== null && maxDiscount > settings.discountApprovalPct) {
    const what = `Approval needed: ${formatPct(maxDiscount)} discount`;
    return {
      category: 'approval',
      severity: 'normal',
      title: dealTitle === null ? what : titleAround(`${what} on `, dealTitle, ''),
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
      title: titleAround('Decision needed: ', dealTitle, ` — the ${objecting.side} objects: “${objection}”`),
      to,
      reason: 'objection',
    };
  }

  const category = lastChoice?.category ?? 'shortcoming';
  const label = CATEGORY_LABEL[category];
  return {
    category,
    severity: lastChoice?.severity ?? 'normal',
    title: dealTitle === null ? label : titleAround(`${label}: `, dealTitle, dealFacts(deal ?? {})),
    to,
    reason: lastChoice ? 'last-choice' : 'default',
  };
}

/**
 * " (€157,200 · Negotiation)": what a recipient needs to weigh an escalation from its title alone in a list,
 * when the title has nothing more specific to say.
 */
export function dealFacts(facts: { amount?: number | null; currency?: string | null; stage?: string | null }): string {
  const parts = [
    facts.amount === null || facts.amount === undefined ? null : formatMoney(facts.amount, facts.currency ?? undefined),
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
