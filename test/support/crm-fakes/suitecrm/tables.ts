import { randomUUID } from 'node:crypto';

// The fake's database: one table per module, rows as SuiteCRM's database holds them (every value a string,
// datetimes "Y-m-d H:i:s" in UTC, dates "Y-m-d", deleted "0"/"1"), so both APIs render them as SuiteCRM does.

export type Row = Record<string, string>;

/** Field names per module, from each module's vardefs.php (the fake refuses others as SuiteCRM does). */
export const moduleFields: Record<string, readonly string[]> = {
  Opportunities: [
    'id', 'name', 'date_entered', 'date_modified', 'modified_user_id', 'created_by', 'description', 'deleted', 'assigned_user_id',
    'assigned_user_name', 'opportunity_type', 'account_name', 'account_id', 'campaign_id', 'lead_source', 'amount', 'amount_usdollar',
    'currency_id', 'currency_name', 'currency_symbol', 'date_closed', 'next_step', 'sales_stage', 'probability',
  ],
  Users: ['id', 'user_name', 'first_name', 'last_name', 'email1', 'status', 'is_admin', 'deleted', 'date_entered', 'date_modified', 'user_hash'],
  Currencies: ['id', 'name', 'symbol', 'iso4217', 'conversion_rate', 'status', 'deleted', 'date_entered', 'date_modified', 'created_by'],
  Notes: [
    'id', 'name', 'description', 'parent_type', 'parent_id', 'assigned_user_id', 'contact_id', 'date_entered', 'date_modified', 'deleted',
    'created_by', 'modified_user_id', 'portal_flag', 'embed_flag', 'filename', 'file_mime_type',
  ],
  Tasks: [
    'id', 'name', 'description', 'status', 'priority', 'date_due', 'date_due_flag', 'date_start', 'parent_type', 'parent_id',
    'assigned_user_id', 'contact_id', 'deleted', 'date_entered', 'date_modified', 'created_by', 'modified_user_id',
  ],
  Accounts: ['id', 'name', 'deleted', 'date_entered', 'date_modified', 'assigned_user_id'],
};

/** SugarBean::getObjectName(), which V8 answers as each record's `type`. */
export const objectNames: Record<string, string> = {
  Opportunities: 'Opportunity', Users: 'User', Currencies: 'Currency', Notes: 'Note', Tasks: 'Task', Accounts: 'Account',
};

/** Fields V8 never shows (vardefs 'sensitive' or 'api-visible' false). */
export const hiddenFields = new Set(['user_hash']);

export function dbTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * One module's rows. Listing order for ties is deliberately not the id order (the database returns ties in
 * whatever order it likes); callers that need a total order must ask for one.
 */
export class Table {
  readonly rows = new Map<string, Row>();
  private byModified: Row[] | null = null;
  private byId: Row[] | null = null;

  constructor(readonly module: string) {}

  insert(row: Row): Row {
    this.rows.set(row.id!, row);
    this.touch();
    return row;
  }

  update(id: string, patch: Row): Row | null {
    const row = this.rows.get(id);
    if (!row) return null;
    Object.assign(row, patch);
    this.touch();
    return row;
  }

  delete(id: string): void {
    this.rows.delete(id);
    this.touch();
  }

  touch(): void {
    this.byModified = null;
    this.byId = null;
  }

  /** Rows sorted by a field; ties by a scramble of the id, not the id. */
  sorted(field: 'date_modified' | 'id'): Row[] {
    if (field === 'id') return (this.byId ??= [...this.rows.values()].sort((a, b) => (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0)));
    return (this.byModified ??= [...this.rows.values()].sort((a, b) => {
      const byTime = a.date_modified! < b.date_modified! ? -1 : a.date_modified! > b.date_modified! ? 1 : 0;
      return byTime !== 0 ? byTime : scramble(a.id!) - scramble(b.id!);
    }));
  }
}

function scramble(id: string): number {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  return hash >>> 0;
}

export function newId(): string {
  return randomUUID();
}
