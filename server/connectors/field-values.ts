/**
 * A CRM field's value as text or a number, whatever JSON type the API gave it (numbers as strings, empty strings for
 * nothing): shared by the connectors' pure mappings.
 */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = typeof value === 'string' ? value.trim() : String(value);
  return s === '' ? null : s;
}

export function number(value: unknown): number | null {
  const s = text(value);
  if (s === null) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A raw field value a kind rule may test, as text: scalars only (a lookup object or a list is no rule value). */
export function scalarText(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? text(value) : null;
}

/** A date-time the CRM gave with its offset ("2024-08-30T14:29:00+02:00") as ISO UTC; null when unreadable. */
export function isoTime(value: unknown): string | null {
  const s = text(value);
  if (s === null) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** An ISO time as CRMs that keep whole seconds take it in filters: seconds, with an explicit UTC offset. */
export function secondsWithOffset(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}+00:00`;
}
