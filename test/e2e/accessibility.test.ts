// axe-core in real Chromium on the surfaces people work in: the options page (before and after pairing), the popup
// and the inbox, the head's dashboard on the seeded demo workspace, and the sidebar inside its shadow root on a demo
// CRM deal. Any violation of impact serious or critical fails the test, listed with its rule, help text and the
// elements it found; and every control reached with Tab must show where the focus is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { openDemoDeal, pair } from './notes-support';

// Resolved from node_modules, so the test always runs the axe-core version package.json pins.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe on `page`, limited to `include` when given (a CSS selector; a shadow host includes its shadow tree, which
 * axe walks). page.evaluate runs over the DevTools protocol, so the extension pages' CSP does not refuse axe's
 * source the way it refuses an inline <script>.
 */
async function seriousViolations(page: Page, include?: string): Promise<Finding[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (scope) => {
    type AxeResult = { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] };
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<AxeResult> } }).axe;
    const result = await axe.run(scope ? { include: [[scope]] } : document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => JSON.stringify(node.target)),
    }));
  }, include ?? null);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/**
 * Walks the page with Tab (from its first control, or from the first control inside `host`'s shadow root until
 * focus leaves it) and returns every focused control that shows no focus indicator: no outline and no box-shadow on the
 * control, or, for a visually hidden input (opacity 0, as in the segmented switches), on the element drawn for it.
 */
async function focusWithoutRing(page: Page, host?: string): Promise<string[]> {
  // Focus starts on the first control of the page (or of the shadow root); Tab takes it from there. The key press
  // first makes Chromium treat that scripted focus as keyboard focus; right after a mouse click it would show no ring.
  await page.keyboard.press('Shift');
  await page.evaluate((selector) => {
    const root = selector ? document.querySelector(selector)?.shadowRoot : document;
    root?.querySelector<HTMLElement>('button, a[href], input, select, textarea, [tabindex]:not([tabindex="-1"])')?.focus();
  }, host ?? null);
  const missing: string[] = [];
  const seen = new Set<string>();
  let previous = '';
  let ended = false;
  for (let step = 0; step < 600; step++) {
    const focused = await page.evaluate((selector) => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      if (!element || element === document.body) return null;
      if (selector && !(element.getRootNode() instanceof ShadowRoot && (element.getRootNode() as ShadowRoot).host.matches(selector))) return null;
      const ring = (candidate: Element | null) => {
        if (!candidate) return false;
        const style = getComputedStyle(candidate);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      };
      const hidden = getComputedStyle(element).opacity === '0';
      const shown = hidden ? ring(element.nextElementSibling) || ring(element.closest('label')) : ring(element);
      const name = element.getAttribute('aria-label') ?? element.getAttribute('data-testid') ?? element.textContent?.trim().slice(0, 40) ?? '';
      const path: string[] = [];
      for (let at: Element | null = element; at; at = at.parentElement) path.unshift(`${at.tagName.toLowerCase()}:${[...(at.parentElement?.children ?? [])].indexOf(at)}`);
      return { key: path.join('/'), label: `<${element.tagName.toLowerCase()}> ${name}`, shown };
    }, host ?? null);
    // Focus left the page (or the shadow root), or came back round to an earlier control: every control was seen.
    // A date input keeps focus for several Tabs (day, month, year).
    ended = !focused || (focused.key !== previous && seen.has(focused.key));
    if (!focused || ended) break;
    if (focused.key !== previous) {
      seen.add(focused.key);
      if (!focused.shown) missing.push(focused.label);
    }
    previous = focused.key;
    await page.keyboard.press('Tab');
  }
  expect(seen.size, 'the walk reached at least one control').toBeGreaterThan(0);
  expect(ended, 'the walk reached the last control').toBe(true);
  return missing;
}

/** One line per violation, so a failure reads as a to-do list. */
const report = (findings: Finding[]) => findings.map((f) => `${f.impact} ${f.id}: ${f.help} → ${f.targets.join(', ')}`);

describe('no serious or critical axe-core violation on Headway’s pages', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    extension = await launchWithExtension();
    extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
  });

  it('the options page, before pairing: the connect form', async () => {
    const page = await extension.context.newPage();
    await page.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await page.getByLabel('Pairing code').waitFor();
    expect(report(await seriousViolations(page))).toEqual([]);
    // An error message shown in the form is part of what must stay readable.
    await page.getByLabel('Server URL').fill('http://127.0.0.1:9');
    await page.getByLabel('Pairing code').fill('ZZZZ-9999');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('connect-error').waitFor();
    expect(report(await seriousViolations(page))).toEqual([]);
    expect(await focusWithoutRing(page)).toEqual([]);
    await page.close();
  });

  it('the options page, paired as the head of sales', async () => {
    // The seeded pairing code belongs to the demo workspace's head of sales (see dashboard.test.ts).
    await pair(extension, server, server.pairingCode);
    const page = await extension.context.newPage();
    await page.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await page.getByTestId('account-name').waitFor();
    expect(report(await seriousViolations(page))).toEqual([]);
    expect(await focusWithoutRing(page)).toEqual([]);
    await page.close();
  });

  it('the popup and the escalation inbox', async () => {
    const ready: [string, (page: Page) => Promise<void>][] = [
      ['popup.html', (page) => page.getByRole('heading', { name: 'Headway', level: 1 }).waitFor()],
      ['inbox.html', (page) => page.getByTestId('box-inbox').waitFor()],
    ];
    for (const [path, isReady] of ready) {
      const page = await extension.context.newPage();
      await page.goto(`chrome-extension://${extension.extensionId}/${path}`);
      await isReady(page);
      expect(report(await seriousViolations(page)), path).toEqual([]);
      expect(await focusWithoutRing(page), path).toEqual([]);
      await page.close();
    }
  });

  it('the dashboard with the demo workspace’s progress, load and moves', async () => {
    const page = await extension.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`chrome-extension://${extension.extensionId}/dashboard.html`);
    await page.getByTestId('progress-table').locator('tbody tr').first().waitFor();
    expect(report(await seriousViolations(page))).toEqual([]);
    expect(await focusWithoutRing(page)).toEqual([]);
    await page.close();
  });

  it('the side panel beside a demo CRM deal', async () => {
    const page = await extension.context.newPage();
    const { panel } = await openDemoDeal(page, server, extension);
    await panel.getByTestId('sidebar-panel').waitFor();
    expect(report(await seriousViolations(panel))).toEqual([]);
    expect(await focusWithoutRing(panel)).toEqual([]);
    // The note form: every field needs its label, every control its ring.
    await panel.getByTestId('add-note').click();
    await panel.getByTestId('note-form').waitFor();
    expect(report(await seriousViolations(panel))).toEqual([]);
    expect(await focusWithoutRing(panel)).toEqual([]);
    await page.close();
  });

  it('threw no page error along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
