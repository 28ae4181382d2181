import { applyTransition } from '../../core/escalation';
import { isoNow, type Clock } from '../clock';
import type { Store } from '../store/store';
import { writeTransaction } from '../store/transaction';
import { appendChanges } from '../sync/change-log';
import { enqueueDeliveries, recordTransition } from './events';
import { storedFromRow, updateEscalation } from './records';
import { loadWorkspace } from './service';

export interface SweepResult {
  /** Moved one level up the ladder by the SLA clock. */
  escalated: string[];
  /** Overdue at the top of the ladder (nowhere further to go): flagged and announced once. */
  flagged: string[];
}

const BATCH = 200;

/**
 * Moves every escalation whose SLA has passed one level up, restarting its clock there, and flags it. Each one is
 * claimed by its version in its own transaction, so two server processes sweeping at once move it once, and a
 * sweep run again finds nothing more to do until the new SLA passes too.
 */
export async function sweepOverdue(store: Store, clock: Clock): Promise<SweepResult> {
  const now = isoNow(clock);
  const result: SweepResult = { escalated: [], flagged: [] };
  const candidates = await store.db
    .selectFrom('escalations')
    .select('id')
    .where('status', 'in', ['open', 'acknowledged'])
    .where('sla_due', '<', now)
    // Already handled at this level: flagged after its current SLA passed.
    .where((eb) => eb.or([eb('overdue_at', 'is', null), eb('overdue_at', '<', eb.ref('sla_due'))]))
    .orderBy('sla_due')
    .limit(BATCH)
    .execute();
  for (const { id } of candidates) {
    const outcome = await writeTransaction(store, async (tx) => {
      const row = await tx.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || row.sla_due === null || row.sla_due >= now || (row.overdue_at !== null && row.overdue_at >= row.sla_due)) return null;
      const { escalation } = storedFromRow(row);
      if (escalation.status !== 'open' && escalation.status !== 'acknowledged') return null;
      const ws = await loadWorkspace(tx);
      const moved = applyTransition(escalation, { type: 'escalate-up' }, { system: true }, now, ws.transition);
      if (moved.ok) {
        if (!(await updateEscalation(tx, moved.escalation, escalation.version, now))) return null;
        const changes = await recordTransition(tx, escalation, moved.escalation, moved.audit, ws);
        await appendChanges(tx, changes, now);
        return 'escalated' as const;
      }
      // At the top of the ladder (or its recipient is gone): flag it and tell the recipients once per level.
      const claimed = await tx
        .updateTable('escalations')
        .set({ overdue_at: now })
        .where('id', '=', id)
        .where('version', '=', escalation.version)
        .where((eb) => eb.or([eb('overdue_at', 'is', null), eb('overdue_at', '<', eb.ref('sla_due'))]))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return null;
      await enqueueDeliveries(tx, 'escalation.overdue', escalation, now, ws);
      return 'flagged' as const;
    });
    if (outcome) result[outcome].push(id);
  }
  return result;
}
