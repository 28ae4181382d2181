import { sql, type Kysely } from 'kysely';
import type { Database } from '../tables';
import { rebuildDealTotals } from '../../plan/deal-totals';

// Plan progress: per-month totals of won deals and per-day totals of the open pipeline (kept in step with every
// deal write), the indexes the progress and drill-down queries read, one plan per scope and period, and tokens
// for services (a CRM's workflow) that may only feed deals in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('won_totals')
    // '' = deals without a mapped owner: they count for the department only.
    .addColumn('owner_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // '' = deals without a currency, listed as excluded rather than summed.
    .addColumn('currency', 'text', (c) => c.notNull())
    // YYYY-MM of closedAt as the CRM recorded it; plan periods are always whole months.
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('cents', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('no_amount', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('won_totals_key', ['kind', 'month', 'owner_key', 'currency'])
    .execute();

  await db.schema
    .createTable('pipeline_totals')
    .addColumn('kind', 'text', (c) => c.notNull())
    // Each deal counts in its expected-close day and month: the rest of a period is read as days, then months.
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('owner_key', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('cents', 'bigint', (c) => c.notNull())
    .addColumn('weighted_cents', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('pipeline_totals_key', ['kind', 'grain', 'bucket', 'owner_key', 'currency'])
    .execute();

  await db.schema.createIndex('deals_closed').on('deals').columns(['kind', 'status', 'closed_at']).execute();

  // The open deals plan progress cannot sum (listed by id as excluded) are found without scanning the pipeline.
  await sql`create index deals_open_unsummable on deals (kind, expected_close)
    where status = 'open' and (amount is null or currency is null or probability is null)`.execute(db);

  // One plan per scope, kind and period; null owner (the department) must collide with itself too.
  await sql`create unique index plans_scope on plans (kind, period, start, coalesce(owner_id, ''))`.execute(db);

  await db.schema
    .createTable('service_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  // A workspace that already holds won deals (e.g. the seeded demo) gets its totals now.
  await rebuildDealTotals(db as Kysely<Database>);
}
