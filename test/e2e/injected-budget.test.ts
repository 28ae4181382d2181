import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { injectedBytes } from '../bench/bundle-size';

// Bytes are deterministic, so the DESIGN.md budget is a plain assertion on the build under test (timings are
// left to `npm run bench`). Anything the sidebar imports lands in every CRM page the user opens.
const contentScripts = resolve('.output/chrome-mv3/content-scripts');

describe('what the extension injects into a CRM page', () => {
  it('stays within 30 KB gzipped, JS and CSS together', () => {
    const bytes = injectedBytes();
    expect(bytes, `${bytes} B gzipped: trim what the sidebar imports (zod and core/schema values must stay out)`).toBeLessThanOrEqual(30 * 1024);
  });

  it('carries no zod: validation belongs to the background worker', () => {
    for (const file of readdirSync(contentScripts).filter((name) => name.endsWith('.js'))) {
      const code = readFileSync(join(contentScripts, file), 'utf8');
      // Strings zod's runtime always carries, whatever the minifier renames.
      expect(code, `${file} bundles zod`).not.toMatch(/Invalid input: expected|ZodError|\$ZodType/);
    }
  });
});
