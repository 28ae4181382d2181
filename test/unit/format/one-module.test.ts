import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** What writes a figure or a date in the runtime's own way, and so differently from one page to the next. */
const OWN_FORMATTING = /\.toLocale(Date|Time)?String\(|Intl\.(NumberFormat|DateTimeFormat|RelativeTimeFormat)\b/;

// Issue 15 §3 item 11: the inbox wrote "12/7/2026, 4:53:56 AM" and "141,200 EUR" where the sidebar wrote
// "7 Dec 2026, 04:53" and "€141,200". Every page formats through core/i18n's formatsOf (core/format).
describe('one formatting module for every page', () => {
  it('no page, component or extension script formats a figure or a date itself', () => {
    const pages = ['components', 'extension', 'entrypoints', 'core']
      .flatMap(sources)
      .filter((path) => !path.startsWith(join('core', 'format')) && !path.startsWith(join('core', 'i18n')));
    expect(pages.length, 'the scan finds the sources').toBeGreaterThan(100);
    const offenders = pages
      .filter((path) => OWN_FORMATTING.test(readFileSync(join(root, path), 'utf8')))
      .map((path) => relative('.', path));
    expect(offenders).toEqual([]);
  });
});
