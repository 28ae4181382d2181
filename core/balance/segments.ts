import type { User } from '../schema';

/**
 * Segment rule. A deal's segment is one free-text value from the CRM. A manager serves it when the value equals
 * (trimmed, case- and space-insensitive) one of their region, product or tier values. A value written as
 * "region: EMEA", "product: …" or "tier: …" must match in that dimension only. A deal without a segment can go to
 * anyone; a manager without segments serves only deals without one.
 */
export const ANY_SEGMENT = '*';

const DIMENSIONS = ['region', 'product', 'tier'] as const;

function normalise(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The key a deal's segment must be served under; ANY_SEGMENT when it has none. */
export function segmentKey(segment: string | null): string {
  if (segment === null || segment.trim() === '') return ANY_SEGMENT;
  const colon = segment.indexOf(':');
  if (colon > 0) {
    const dimension = normalise(segment.slice(0, colon));
    if ((DIMENSIONS as readonly string[]).includes(dimension)) return `${dimension}:${normalise(segment.slice(colon + 1))}`;
  }
  return `any:${normalise(segment)}`;
}

/** Every key a manager serves: ANY_SEGMENT plus each value, both in its dimension and dimension-free. */
export function servedKeys(manager: Pick<User, 'segments'>): string[] {
  return [...servedKeySet(manager)];
}

/** servedKeys as a Set; give every manager of a roster one ServedKeyCache. */
export function servedKeySet(manager: Pick<User, 'segments'>, known?: ServedKeyCache): Set<string> {
  const keys = new Set<string>([ANY_SEGMENT]);
  for (const dimension of DIMENSIONS) {
    for (const value of manager.segments[dimension]) {
      const [inDimension, anywhere] = known ? known.keysOf(dimension, value) : valueKeys(dimension, value);
      keys.add(inDimension);
      keys.add(anywhere);
    }
  }
  return keys;
}

function valueKeys(dimension: string, value: string): [string, string] {
  const normalised = normalise(value);
  return [`${dimension}:${normalised}`, `any:${normalised}`];
}

/** The keys of each segment value, made once for a whole roster: a thousand managers share a handful of values. */
export class ServedKeyCache {
  private readonly byValue = DIMENSIONS.map(() => new Map<string, [string, string]>());

  keysOf(dimension: (typeof DIMENSIONS)[number], value: string): [string, string] {
    const known = this.byValue[DIMENSIONS.indexOf(dimension)]!;
    let keys = known.get(value);
    if (!keys) known.set(value, (keys = valueKeys(dimension, value)));
    return keys;
  }
}

/** How the reason sentence names the segment, as the CRM wrote it. */
export function segmentLabel(segment: string | null): string | null {
  if (segment === null || segment.trim() === '') return null;
  const colon = segment.indexOf(':');
  const dimension = colon > 0 ? normalise(segment.slice(0, colon)) : '';
  return (DIMENSIONS as readonly string[]).includes(dimension) ? segment.slice(colon + 1).trim() : segment.trim();
}
