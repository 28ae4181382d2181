// SPA navigation -> the side panel shows the new record, in real Chromium with the built extension, beside the page's
// own render of the same navigation (the sidebar reads the record from the page, so it cannot be faster).
import type { BrowserContext, Page } from 'playwright-core';

export const SPA_RECORDS = 24;
export const spaRecordName = (id: number) => `Deal ${id} – Account ${id % 37}`;

/**
 * An Odoo 17.2+ CRM (pushState routes /odoo/crm/{id}) with a 600-row list beside the form, ~5,000 nodes like the
 * paint bench's page. Like Odoo's action service, a click "loads" the record (a timer standing in for the
 * JSON-RPC call), renders the form view, then pushes the URL.
 */
export function busySpaPage(): string {
  const rows = Array.from({ length: 600 }, (_, i) => `<tr><td>${spaRecordName(i)}</td><td>Qualified</td><td>${(i * 1375) % 90000} €</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Odoo</title></head><body class="o_web_client">
<div class="o_action_manager" id="action-manager"></div><table class="o_list_table">${rows}</table>
<script>
  const manager = document.getElementById('action-manager');
  const name = (id) => 'Deal ' + id + ' – Account ' + (id % 37);
  function field(fieldName, value) {
    const widget = document.createElement('div');
    widget.className = 'o_field_widget o_field_char';
    widget.setAttribute('name', fieldName);
    const input = document.createElement('input');
    input.className = 'o_input';
    input.value = value;
    widget.append(input);
    return widget;
  }
  function render(id) {
    const form = document.createElement('div');
    form.className = 'o_form_view';
    form.append(field('name', name(id)), field('expected_revenue', (id * 1250).toLocaleString('en-US') + '.00 €'));
    manager.replaceChildren(form);
    document.title = name(id) + ' - Odoo';
  }
  window.openRecord = (id) => setTimeout(() => { render(id); history.pushState({ id }, '', '/odoo/crm/' + id); }, 15);
  addEventListener('popstate', () => render(Number(location.pathname.split('/').pop())));
  render(Number(location.pathname.split('/').pop()) || 1);
</script></body></html>`;
}

export interface SpaTimings {
  /** Click -> the side panel shows the new record's title, painted; null when it did not within 3 s. */
  sidebarMs: (number | null)[];
  /** Click -> the page's own form shows the new record, painted. */
  pageMs: number[];
}

/**
 * Opens record 1, opens the side panel beside it, and clicks through `navigations` other records, timing each: from
 * the click to the next paint after the page's form, and after the panel's title, show the new record. The page and
 * the panel are two processes; each takes its times as performance.timeOrigin + performance.now(), the same clock.
 */
export async function measureSpaNavigation(context: BrowserContext, openPanel: (page: Page) => Promise<Page>, origin: string, navigations: number): Promise<SpaTimings> {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/odoo/crm/1`);
    const panel = await openPanel(page);
    await panel.getByTestId('record-title').filter({ hasText: spaRecordName(1) }).waitFor({ timeout: 20_000 });
    // tsx (esbuild keepNames) wraps the inner functions below in a __name helper the pages do not have.
    await page.evaluate('globalThis.__name ??= (fn) => fn');
    await panel.evaluate('globalThis.__name ??= (fn) => fn');
    // In the panel: when each title was first shown, painted.
    await panel.evaluate(() => {
      const shown: Record<string, number> = {};
      (globalThis as unknown as { shownAt: Record<string, number> }).shownAt = shown;
      const painted = () => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.timeOrigin + performance.now()))));
      new MutationObserver(() => {
        const title = document.querySelector('[data-testid="record-title"]')?.textContent;
        if (title && !(title in shown)) {
          shown[title] = NaN;
          void painted().then((at) => (shown[title] = at));
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const timings: SpaTimings = { sidebarMs: [], pageMs: [] };
    for (let step = 0; step < navigations; step++) {
      const id = 2 + (step % (SPA_RECORDS - 1));
      const expected = spaRecordName(id);
      await panel.evaluate((name) => delete (globalThis as unknown as { shownAt: Record<string, number> }).shownAt[name], expected);
      const { started, pageAt } = await page.evaluate(async (expected) => {
        const painted = () => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.timeOrigin + performance.now()))));
        const manager = document.getElementById('action-manager')!;
        const shown = () => (manager.querySelector('[name="name"] input') as HTMLInputElement | null)?.value === expected;
        const pageShown = new Promise<number>((resolve, reject) => {
          const observer = new MutationObserver(() => {
            if (!shown()) return;
            observer.disconnect();
            void painted().then(resolve);
          });
          observer.observe(manager, { subtree: true, childList: true });
          setTimeout(() => reject(new Error(`The fixture page did not render ${expected}.`)), 3000);
        });
        const started = performance.timeOrigin + performance.now();
        (window as unknown as { openRecord(id: number): void }).openRecord(Number(/Deal (\d+)/.exec(expected)![1]));
        return { started, pageAt: await pageShown };
      }, expected);
      timings.pageMs.push(pageAt - started);
      let panelAt: number | null = null;
      for (const deadline = Date.now() + 3000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
        const at = await panel.evaluate((name) => (globalThis as unknown as { shownAt: Record<string, number> }).shownAt[name] ?? null, expected);
        if (at !== null && !Number.isNaN(at)) {
          panelAt = at;
          break;
        }
      }
      timings.sidebarMs.push(panelAt === null ? null : panelAt - started);
      // Quiet frames between clicks, as between a user's clicks.
      await page.waitForTimeout(50);
    }
    return timings;
  } finally {
    await page.close();
  }
}
