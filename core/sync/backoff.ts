/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, 2015): the wait is uniform in
 * [0, min(cap, base · 2^(failures−1))]. Spreading retries over the whole window stops a team's
 * extensions from hammering a server that just came back, all at the same instant.
 */
export type BackoffPolicy = { baseMs: number; capMs: number };

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/** Upper bound of the wait after `failures` consecutive failures (failures ≥ 1). */
export function backoffCeiling(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  // Clamp the exponent: 2^1024 is Infinity, and the cap is reached long before anyway.
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/** The wait in ms; `random` returns [0, 1) like Math.random (injected so tests can seed it). */
export function backoffDelay(failures: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.floor(random() * backoffCeiling(failures, policy));
}
