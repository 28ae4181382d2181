import { Plan } from '../../core/schema';
import type { PlansTable } from './tables';

export function planFromRow(row: PlansTable): Plan {
  return Plan.parse({
    id: row.id,
    kind: row.kind,
    period: row.period,
    start: row.start,
    ownerId: row.owner_id,
    target: row.target,
    currency: row.currency,
    countTarget: row.count_target,
    updatedAt: row.updated_at,
    version: row.version,
  });
}
