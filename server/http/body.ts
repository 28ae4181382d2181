import type { Context } from 'hono';
import { refuse } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Deeper than any body Headway reads (push nests six levels), far below what could exhaust the stack later on. */
export const maxJsonDepth = 32;

/**
 * The body as text, read once for every later reader of the request: bytes that are not UTF-8 are refused instead of
 * being stored as replacement characters nobody typed.
 */
export async function bodyText(c: Context): Promise<string | Response> {
  const bytes = await c.req.arrayBuffer();
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return refuse(c, 400, 'invalid_encoding', 'invalidEncoding');
  }
  // Hono's own readers (c.req.text(), c.req.json()) take the cached text from here.
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
  return text;
}

/** Whether JSON text opens more than `limit` arrays or objects inside one another; counted before anything parses it. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > limit) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}

/** A JSON body's text, refused with a 400 when it is not UTF-8 or nests deeper than maxJsonDepth. */
export async function jsonText(c: Context): Promise<string | Response> {
  const text = await bodyText(c);
  if (typeof text !== 'string') return text;
  if (nestsDeeperThan(text, maxJsonDepth)) {
    return refuse(c, 400, 'too_deep', 'tooDeep', { depth: maxJsonDepth });
  }
  return text;
}
