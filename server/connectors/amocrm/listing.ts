import { nextPosition, startPosition, type KeysetPosition } from '../keyset';
import type { ListPosition } from '../types';
import type { AmoApi } from './api';
import { isoToUnix, type AmoLeadJson } from './mapping';

// Listing leads without skipping or looping. amoCRM filters on updated_at ranges (unix seconds) and sorts by
// updated_at or id, but cannot ask for "id above I" (filter[id] takes ids, not a range). So:
// - the range phase is keyset paging as everywhere (keyset.ts): always page 1 of "updated_at ≥ T";
// - within one second shared by more leads than a page (a bulk change), and for the id listing of a
//   reconciliation, pages go by number in id order. A lead that leaves the listing meanwhile (edited, deleted)
//   shifts later ones back by one, which would skip one. Leads only ever leave such a listing (new ones have higher
//   ids, and a second in the past gains no leads), so after reading page p the lead just before it must still be the
//   last one read; if it is not, something left and the walk starts again from page 1 (pages read twice are
//   idempotent). The check comes after the page, so anything leaving before the page is caught by it.

export interface LeadPage {
  leads: AmoLeadJson[];
  next: ListPosition | null;
}

function leadsOf(body: unknown): AmoLeadJson[] {
  return (body as { _embedded?: { leads?: AmoLeadJson[] } } | null)?._embedded?.leads ?? [];
}

function query(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
}

/** One page by number in id order, checked against the last id read before it (null: the walk must restart). */
async function numberedPage(api: AmoApi, filter: Record<string, string | number>, page: number, size: number, afterId: string | null): Promise<AmoLeadJson[] | null> {
  const leads = leadsOf(await api.call('GET', `/api/v4/leads?${query({ ...filter, 'order[id]': 'asc', limit: size, page })}`));
  if (page === 1 || afterId === null) return leads;
  const before = leadsOf(await api.call('GET', `/api/v4/leads?${query({ ...filter, 'order[id]': 'asc', limit: 1, page: (page - 1) * size })}`));
  return String(before[0]?.id) === afterId ? leads : null;
}

/** Leads changed at or after `since`, in updated_at order, from `position`. */
export async function listChangedLeads(api: AmoApi, since: string | null, position: ListPosition | null, size: number): Promise<LeadPage> {
  const stored = position?.keyset;
  const keyset: KeysetPosition = stored && stored.phase !== 'ids' ? stored : startPosition(since);
  if (keyset.phase === 'range') {
    const from = keyset.from === null ? null : isoToUnix(keyset.from) + (keyset.inclusive ? 0 : 1);
    const leads = leadsOf(await api.call('GET', `/api/v4/leads?${query({ ...(from === null ? {} : { 'filter[updated_at][from]': from }), 'order[updated_at]': 'asc', limit: size, page: 1 })}`));
    const next = nextPosition(keyset, leads, leads.length >= size, (lead) => new Date(lead.updated_at * 1000).toISOString(), (lead) => String(lead.id));
    return { leads, next: next && { pass: 'deals', keyset: next, page: 1 } };
  }
  const at = isoToUnix(keyset.at);
  const page = position?.page ?? 1;
  const leads = await numberedPage(api, { 'filter[updated_at][from]': at, 'filter[updated_at][to]': at }, page, size, keyset.afterId);
  if (leads === null) return { leads: [], next: { pass: 'deals', keyset: { ...keyset, afterId: null }, page: 1 } };
  const next = nextPosition(keyset, leads, leads.length >= size, () => keyset.at, (lead) => String(lead.id));
  return { leads, next: next && { pass: 'deals', keyset: next, page: next.phase === 'tie' ? page + 1 : 1 } };
}

/** Every live lead id, a page at a time in id order (the reconciliation's listing). */
export async function listLeadIds(api: AmoApi, position: ListPosition | null, size: number): Promise<{ ids: string[]; next: ListPosition | null }> {
  const afterId = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
  const page = position?.page ?? 1;
  const leads = await numberedPage(api, {}, page, size, afterId);
  if (leads === null) return { ids: [], next: { pass: 'ids', keyset: { phase: 'ids', afterId: null }, page: 1 } };
  const ids = leads.map((lead) => String(lead.id));
  const last = ids.at(-1);
  return { ids, next: leads.length >= size && last ? { pass: 'ids', keyset: { phase: 'ids', afterId: last }, page: page + 1 } : null };
}
