import { html as honoHtml, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

// The server's HTML (the demo CRM's pages, the weekly report) is built with hono/html's tagged template: every
// interpolated value is HTML-escaped unless it is markup a template made (or raw() vouches for). Record names in a CRM
// and report data can carry script payloads (see DESIGN.md's security promises).

/** Markup already escaped: interpolated as it is. */
export type SafeHtml = HtmlEscapedString;

/**
 * hono's `html`, typed for what the server passes it: its values are never Promises, so the markup is ready at once
 * (hono answers a Promise only when one is interpolated).
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  const markup = honoHtml(strings, ...values);
  if (markup instanceof Promise) throw new TypeError('HTML interpolated a Promise.');
  return markup;
}

export { raw };
