import type { Tx } from '../store/transaction';
import { readDeliverySettings } from './settings';

/** The address of a stored report, or null when there is none with this id. */
export async function reportLink(db: Tx, id: string): Promise<string | null> {
  const row = await db.selectFrom('reports').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const { baseUrl } = await readDeliverySettings(db);
  return `${baseUrl.replace(/\/+$/, '')}/api/reports/${encodeURIComponent(row.id)}`;
}
