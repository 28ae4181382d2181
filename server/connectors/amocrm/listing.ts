import { nextPosition, startPosition, type KeysetPosition } from '../keyset';
import type { ListPosition } from '../types';
import type { AmoApi } from './api';
import { isoToUnix, type AmoLeadJson } from './mapping';

// Listing leads without skipping or looping. amoCRM filters on updated_at ranges (unix seconds) and sorts by
// updated_at or id, but cannot ask for "id above I" (filter[id] takes ids, not a range). So:
// - the range phase is keyset paging as everywhere (keyset.ts): always page 1 of "updated_at ≥ T";
// - within one second shared by more leads than a page (a bulk change), and for the id listing of a
//   reconciliation, pages go by number in id order, and the position keeps the last id read beside the page number.
//   A lead that leaves the listing meanwhile (edited, deleted) shifts later ones back by one, which would skip one.
//   Leads only ever leave such a listing (new ones have higher ids, and a second in the past gains no leads), so
//   after reading page p the lead just before it must still be the last one read. If it is not, the walk steps
//   back a page at a time until a page starts at or before that id, and goes on from the first lead above it: a
//   resume after a cut, when users have edited leads in between, reads about as many pages again as leads left,
//   never the whole walk. The check comes after the page, so anything leaving before the page is caught by it.

export interface LeadPage {
  leads: AmoLeadJson[];
  next: ListPosition | null;
}

/** A numbered page's leads above the walk's last id, where it stands, and what the next page goes on from. */
interface WalkedPage {
  leads: AmoLeadJson[];
  page: number;
  /** The page was as long as asked for: the walk goes on. */
  full: boolean;
  /** The last id on the page as read (every id of the listing up to it has been walked). */
  lastId: string | null;
}

function leadsOf(body: unknown): AmoLeadJson[] {
  return (body as { _embedded?: { leads?: AmoLeadJson[] } } | null)?._embedded?.leads ?? [];
}

function query(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
}

/** Page `page` in id order of the walk's filter, from the lead after `afterId` (null: the walk's first page). */
async function numberedPage(api: AmoApi, filter: Record<string, string | number>, page: number, size: number, afterId: string | null): Promise<WalkedPage> {
  const read = async (number: number, limit = size) => leadsOf(await api.call('GET', `/api/v4/leads?${query({ ...filter, 'order[id]': 'asc', limit, page: number })}`));
  const walked = (leads: AmoLeadJson[], number: number, raw: AmoLeadJson[]): WalkedPage => ({ leads, page: number, full: raw.length >= size, lastId: raw.length > 0 ? String(raw.at(-1)!.id) : afterId });
  const leads = await read(page);
  if (page === 1 || afterId === null) return walked(leads, page, leads);
  const before = await read((page - 1) * size, 1);
  if (String(before[0]?.id) === afterId) return walked(leads, page, leads);
  // Leads left before this page: the first lead above afterId now sits on an earlier page.
  const after = Number(afterId);
  for (let back = page - 1; ; back--) {
    const earlier = await read(back);
    const first = earlier[0]?.id;
    if (back === 1 || (first !== undefined && first <= after)) return walked(earlier.filter((lead) => lead.id > after), back, earlier);
  }
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
  const walked = await numberedPage(api, { 'filter[updated_at][from]': at, 'filter[updated_at][to]': at }, position?.page ?? 1, size, keyset.afterId);
  if (!walked.full) return { leads: walked.leads, next: { pass: 'deals', keyset: { phase: 'range', from: keyset.at, inclusive: false }, page: 1 } };
  return { leads: walked.leads, next: { pass: 'deals', keyset: { phase: 'tie', at: keyset.at, afterId: walked.lastId }, page: walked.page + 1 } };
}

/** Every live lead id, a page at a time in id order (the reconciliation's listing). */
export async function listLeadIds(api: AmoApi, position: ListPosition | null, size: number): Promise<{ ids: string[]; next: ListPosition | null }> {
  const afterId = position?.keyset.phase === 'ids' ? position.keyset.afterId : null;
  const walked = await numberedPage(api, {}, position?.page ?? 1, size, afterId);
  return { ids: walked.leads.map((lead) => String(lead.id)), next: walked.full ? { pass: 'ids', keyset: { phase: 'ids', afterId: walked.lastId }, page: walked.page + 1 } : null };
}
