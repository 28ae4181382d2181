/**
 * Paging by modification time that neither skips nor loops, for APIs that can filter on "modified ≥ T" sorted by
 * modification time and on "modified = T and id > I" sorted by id (SuiteCRM V8 and v4_1, Bitrix24, amoCRM…).
 *
 * Page numbers over a list sorted by modification time are unsafe: a record changed during the sync moves to the
 * end and shifts every later page, so one record is skipped. Here every page starts from the last modification time
 * seen instead (records changed meanwhile come again later, which an idempotent upsert absorbs), and a page whose
 * records all share one time switches to id order within that time, so any number of ties is walked through.
 */
export type KeysetPosition =
  /** Records modified at or after `from` (strictly after when `inclusive` is false); null: from the beginning. */
  | { phase: 'range'; from: string | null; inclusive: boolean }
  /** Records modified exactly at `at` with an id above `afterId` (null: any id), in id order. */
  | { phase: 'tie'; at: string; afterId: string | null };

/** Paging by id alone (reconciling ids, listing users): records with an id above `afterId`, in id order. */
export interface IdPosition {
  phase: 'ids';
  afterId: string | null;
}

export function startPosition(since: string | null): KeysetPosition {
  return { phase: 'range', from: since, inclusive: true };
}

/**
 * Where the next page starts after `page` (records in the order the query asked for). `full` says the page was as
 * long as asked for; a shorter page ends the listing. `modified` and `id` read a record's keys. `tiesById`: the API
 * sorts records of one modification time by id (EspoCRM adds id to every order), so a page of one time is
 * continued after its last id rather than read again from that time's first id.
 */
export function nextPosition<R>(
  position: KeysetPosition,
  page: readonly R[],
  full: boolean,
  modified: (record: R) => string,
  id: (record: R) => string,
  tiesById = false,
): KeysetPosition | null {
  if (position.phase === 'tie') {
    const last = page.at(-1);
    if (!full || !last) return { phase: 'range', from: position.at, inclusive: false };
    return { phase: 'tie', at: position.at, afterId: id(last) };
  }
  if (!full || page.length === 0) return null;
  const times = page.map(modified);
  const latest = times.reduce((a, b) => (b > a ? b : a));
  const earliest = times.reduce((a, b) => (b < a ? b : a));
  // A page of one time only: walk that time by id, or the next "≥ latest" would answer the same page forever.
  if (earliest === latest) return { phase: 'tie', at: latest, afterId: tiesById ? id(page.at(-1)!) : null };
  // Records at `latest` may continue on the next page; they are read again from there (idempotent).
  return { phase: 'range', from: latest, inclusive: true };
}

/**
 * A bound for CRMs that keep modification times in whole seconds (Salesforce, Dataverse), as "YYYY-MM-DDThh:mm:ssZ":
 * rounded down, so "≥" also takes the rest of that second (read again, idempotent); "=" and ">" are only ever given
 * times read from records, which are whole seconds already.
 */
export function wholeSecond(iso: string): string {
  return `${new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
