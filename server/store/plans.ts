import { Plan } from '../../core/schema';
import type { PlansTable } from './tables';

/** Every column of the plans table, for a query that names them. */
export const planColumns = Object.keys({
  id: true, kind: true, period: true, start: true, owner_id: true, target: true, currency: true, count_target: true, updated_at: true, version: true,
} satisfies Record<keyof PlansTable, true>) as (keyof PlansTable)[];

/** Unchecked, like dealOfRow: rows of the plans table are written only by paths that validated them (plan/plans.ts). */
export function planOfRow(row: PlansTable): Plan {
  return {
    id: row.id,
    kind: row.kind as Plan['kind'],
    period: row.period as Plan['period'],
    start: row.start,
    ownerId: row.owner_id,
    target: row.target,
    currency: row.currency,
    countTarget: row.count_target,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export function planFromRow(row: PlansTable): Plan {
  return Plan.parse(planOfRow(row));
}
