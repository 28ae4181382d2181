// SPA navigation -> the sidebar shows the new record, in real Chromium with the built extension, beside the page's
// own render of the same navigation (the sidebar reads the record from the page, so it cannot be faster).
import type { BrowserContext } from 'playwright-core';

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
  /** Click -> the sidebar shows the new record's title, painted; null when it did not within 3 s. */
  sidebarMs: (number | null)[];
  /** Click -> the page's own form shows the new record, painted. */
  pageMs: number[];
}

/**
 * Opens record 1 and clicks through `navigations` other records, timing each in the page: from the click to
 * the next paint after the page's form, and after the sidebar's title, show the new record.
 */
export async function measureSpaNavigation(context: BrowserContext, origin: string, navigations: number): Promise<SpaTimings> {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/odoo/crm/1`);
    await page.getByTestId('record-title').filter({ hasText: spaRecordName(1) }).waitFor({ timeout: 20_000 });
    // tsx (esbuild keepNames) wraps the inner functions below in a __name helper the page does not have.
    await page.evaluate('globalThis.__name ??= (fn) => fn');
    return await page.evaluate(
      async ({ navigations, records }) => {
        const root = document.querySelector('headway-sidebar')!.shadowRoot!;
        const name = (id: number) => `Deal ${id} – Account ${id % 37}`;
        const painted = () => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))));
        /** Resolves at the paint after `shown()` first holds, checked on every mutation of `target`. */
        const whenShown = (target: Node, shown: () => boolean) =>
          new Promise<number | null>((resolve) => {
            const observer = new MutationObserver(() => {
              if (!shown()) return;
              observer.disconnect();
              clearTimeout(timer);
              void painted().then(resolve);
            });
            observer.observe(target, { subtree: true, childList: true, characterData: true });
            const timer = setTimeout(() => {
              observer.disconnect();
              resolve(null);
            }, 3000);
          });
        const openRecord = (window as unknown as { openRecord(id: number): void }).openRecord;
        const manager = document.getElementById('action-manager')!;
        const timings = { sidebarMs: [] as (number | null)[], pageMs: [] as number[] };
        for (let step = 0; step < navigations; step++) {
          const id = 2 + (step % (records - 1));
          const expected = name(id);
          const pageShown = whenShown(manager, () => (manager.querySelector('[name="name"] input') as HTMLInputElement | null)?.value === expected);
          const sidebarShown = whenShown(root, () => root.querySelector('[data-testid="record-title"]')?.textContent === expected);
          const started = performance.now();
          openRecord(id);
          const [pageAt, sidebarAt] = await Promise.all([pageShown, sidebarShown]);
          if (pageAt === null) throw new Error(`The fixture page did not render record ${id}.`);
          timings.pageMs.push(pageAt - started);
          timings.sidebarMs.push(sidebarAt === null ? null : sidebarAt - started);
          // Two quiet frames between clicks, as between a user's clicks.
          await painted();
          await painted();
        }
        return timings;
      },
      { navigations, records: SPA_RECORDS },
    );
  } finally {
    await page.close();
  }
}
