import type { ConnectorSettings, DealKind, DealStatus } from '../../../core/schema';
import type { CrmDeal, CrmPipeline } from '../types';

// From a CrmDeal to Headway's deal fields that need the connection's knowledge: won/lost/open from the CRM's own
// pipeline definitions (plus the admin's extra stages), sale or purchase by the admin's rule, when a closed deal
// closed. Pure, so every connector's deals are judged alike.

export interface StageBook {
  statusOf(pipeline: string | null, stage: string | null): DealStatus;
}

export function stageBook(pipelines: readonly CrmPipeline[], settings: Pick<ConnectorSettings, 'extraWonStages' | 'extraLostStages'>): StageBook {
  const byPipeline = new Map<string | null, Map<string, DealStatus>>();
  const anyPipeline = new Map<string, DealStatus>();
  for (const pipeline of pipelines) {
    const stages = new Map<string, DealStatus>();
    for (const stage of pipeline.stages) {
      stages.set(stage.id, stage.status);
      if (stage.status !== 'open') anyPipeline.set(stage.id, stage.status);
    }
    byPipeline.set(pipeline.id, stages);
  }
  const extra = new Map<string, DealStatus>([
    ...settings.extraWonStages.map((stage) => [stage, 'won'] as const),
    ...settings.extraLostStages.map((stage) => [stage, 'lost'] as const),
  ]);
  return {
    statusOf(pipeline, stage) {
      if (stage === null) return 'open';
      const fromAdmin = extra.get(stage);
      if (fromAdmin) return fromAdmin;
      const own = byPipeline.get(pipeline)?.get(stage);
      if (own) return own;
      // A stage the pipeline list did not carry (renamed since, or a pipeline we were not told about): trust a
      // closing stage of the same id elsewhere rather than count a lost deal as open pipeline.
      return anyPipeline.get(stage) ?? 'open';
    },
  };
}

export function kindOf(deal: Pick<CrmDeal, 'fields'>, rule: ConnectorSettings['purchaseWhen']): DealKind {
  if (rule === null) return 'sale';
  const value = deal.fields[rule.field];
  return value !== null && value !== undefined && rule.values.includes(value) ? 'purchase' : 'sale';
}

/**
 * When a won or lost deal closed: the CRM's own close time if it has one, else its close date as stored (midnight
 * UTC of that day, so the deal counts in the month the CRM shows), else the time it was last changed.
 */
export function closedAtOf(deal: Pick<CrmDeal, 'closedAt' | 'expectedClose' | 'modifiedAt'>, status: DealStatus): string | null {
  if (status === 'open') return null;
  if (deal.closedAt) return deal.closedAt;
  if (deal.expectedClose) return `${deal.expectedClose}T00:00:00.000Z`;
  return deal.modifiedAt;
}
