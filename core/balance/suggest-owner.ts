import type { BalanceState, Deal, OwnerSuggestion } from '../schema';
import { buildLoadModel, MILLI, utilisationOf } from './model';
import { reasonWords } from './reasons';
import { segmentKey, segmentLabel } from './segments';
import { amountTier, stageLookup } from './weights';

/**
 * Who should own a deal: the present manager serving its segment whose utilisation would be lowest with it (ties:
 * lowest id). For a deal that is already in `state.deals`, its current weight is taken off its owner first, so the
 * same call answers "who should take this one over". null when nobody present serves the segment.
 */
export function suggestOwner(deal: Deal, state: BalanceState): OwnerSuggestion | null {
  const model = buildLoadModel(state, deal.id);
  const info = stageLookup(model.settings)(deal.stage);
  const tier = amountTier(deal, model.settings.amountTiers, state.rates ?? {}, state.reportingCurrency);
  const weight = Math.round(info.weight * tier.multiplier * MILLI);
  const key = segmentKey(deal.segment);
  let best = -1;
  let bestAfter = Infinity;
  for (let i = 0; i < model.managers.length; i++) {
    if (model.absentUntil[i] !== null || model.capacity[i] === 0 || !model.served[i]!.has(key)) continue;
    const after = utilisationOf(model.load[i]! + weight, model.capacity[i]!);
    if (after < bestAfter) {
      best = i;
      bestAfter = after;
    }
  }
  if (best === -1) return null;
  const manager = model.managers[best]!;
  const before = utilisationOf(model.load[best]!, model.capacity[best]!);
  const ownerIndex = model.managers.findIndex((m) => m.id === deal.ownerId);
  const owner = model.managers[ownerIndex];
  const words = reasonWords(model.locale);
  const said =
    owner && owner.id !== manager.id
      ? words.rebalanceReason(owner.name, utilisationOf(model.load[ownerIndex]! + weight, model.capacity[ownerIndex]!), manager.name, before, segmentLabel(deal.segment))
      : words.mostRoom(manager.name, before, bestAfter, Boolean(deal.segment));
  const reason = tier.noRateFor === null ? said : said + words.noRateNote(tier.noRateFor, model.reportingCurrency);
  return {
    ownerId: manager.id,
    reason,
    utilisationBefore: before,
    utilisationAfter: bestAfter,
    withinTarget: model.load[best]! + weight <= model.limit[best]!,
  };
}
