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
