import type { z } from 'zod';
import { translator, type Locale } from '../../core/i18n';
import type { ApiResult } from '../../extension/page-api';
import { escalationMessages } from '../../extension/escalation/i18n';

/**
 * How the escalation pages read the background's answers, so every page words a failure alike. A background that
 * did not answer (or answered what this version does not understand) is shown the way a refusal is: as a failed
 * outcome carrying the sentence askBackground threw (`.catch(askFailed)`).
 */
export function askFailed(error: unknown): { ok: false; message: string; status: null } {
  return { ok: false, message: (error as Error).message, status: null };
}

/** A server answer the background relayed, parsed for the page: its data, or the sentence to show instead. */
export function readAnswer<T>(answer: ApiResult, schema: z.ZodType<T>, locale: Locale = 'en'): { ok: true; data: T } | { ok: false; message: string } {
  if (!answer.ok) return { ok: false, message: answer.message };
  const parsed = schema.safeParse(answer.data);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, message: translator(escalationMessages, locale)('unexpectedAnswer') };
}
