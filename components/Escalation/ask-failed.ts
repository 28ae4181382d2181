/**
 * The escalation pages show a background that did not answer (or answered what this version does not understand)
 * the way they show a refusal: a failed outcome carrying the sentence askBackground threw. `.catch(askFailed)` on
 * each request keeps that one rule in one place.
 */
export function askFailed(error: unknown): { ok: false; message: string; status: null } {
  return { ok: false, message: (error as Error).message, status: null };
}
