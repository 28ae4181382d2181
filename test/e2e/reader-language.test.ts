import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionMessages } from '../../components/Connection/i18n';
import { dashboardMessages } from '../../components/Dashboard/i18n';
import { escalationMessages } from '../../extension/escalation/i18n';
import { translator, type Locale } from '../../core/i18n';
import { severityLabel } from '../../extension/escalation/build';
import { User } from '../../core/schema';
import { launchWithExtension, shot, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { deviceToken, getAs, pairAsHead } from './fixtures/crm-fixtures';

type NotificationsGlobal = {
  chrome: { notifications: { create(id: string, options: { title: string }): Promise<string> } };
  headwayShown?: string[];
};

// The language a person chose in the settings wins over their browser's, on every page and in the background's
// notifications, by the one rule of core/i18n readerLocale (issue 17 §1). Each case is a real Chromium whose UI
// speaks one language while the head of sales chose the other.
describe.each([
  { browser: 'en-US', chosen: 'ru' as Locale },
  { browser: 'ru-RU', chosen: 'en' as Locale },
])('a $browser browser whose user chose $chosen', ({ browser, chosen }) => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  const t = { connection: translator(connectionMessages, chosen), dashboard: translator(dashboardMessages, chosen), escalation: translator(escalationMessages, chosen) };

  beforeAll(async () => {
    server = await startServer();
    extension = await launchWithExtension({ lang: browser });
    await pairAsHead(extension, server);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
  });

  it('turns the open settings page to the chosen language the moment it is chosen, and opens the dashboard in it', async () => {
    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
    expect(await options.evaluate(() => [navigator.language, document.documentElement.lang])).toEqual([browser, browser.slice(0, 2)]);
    await options.getByTestId('language-select').selectOption(chosen);
    await expect.poll(() => options.evaluate(() => [document.documentElement.lang, document.title])).toEqual([chosen, t.connection('settingsTitle')]);
    if (chosen === 'ru') await shot(options, 'options-ru.png');

    const dashboard = await extension.context.newPage();
    await dashboard.goto(`chrome-extension://${extension.extensionId}/dashboard.html`);
    expect(await dashboard.evaluate(() => [navigator.language, document.documentElement.lang, document.title])).toEqual([browser, chosen, t.dashboard('pageTitle')]);
    await dashboard.getByTestId('progress-table').waitFor();
    expect(await dashboard.locator('.hw-dash-title').textContent()).toBe(t.dashboard('heading'));

    // The period's day is typed and read in the chosen language, as every page writes a day (Chromium's date field
    // follows the browser's UI language, not the page's lang): 02.11.2026 for Russian, 2 Nov 2026 for English; the
    // arrow keys step it by a day.
    const day = dashboard.getByTestId('period-date');
    expect([await day.getAttribute('type'), await day.getAttribute('placeholder')]).toEqual(['text', chosen === 'ru' ? 'дд.мм.гггг' : 'd mmm yyyy']);
    await day.fill(chosen === 'ru' ? '02.11.2026' : '2 Nov 2026');
    await expect.poll(() => dashboard.locator('#progress-heading').textContent()).toMatch(chosen === 'ru' ? /ноябрь 2026/ : /November 2026/);
    await day.fill(chosen === 'ru' ? '31.11.2026' : '31 Nov 2026');
    expect(await day.getAttribute('aria-invalid')).toBe('true');
    expect(await dashboard.locator('#progress-heading').textContent()).toMatch(chosen === 'ru' ? /ноябрь 2026/ : /November 2026/);
    await day.fill(chosen === 'ru' ? '30.11.2026' : 'Nov 30, 2026');
    await day.press('ArrowUp');
    expect([await day.inputValue(), await day.getAttribute('aria-invalid')]).toEqual([chosen === 'ru' ? '01.12.2026' : '1 Dec 2026', null]);
    await expect.poll(() => dashboard.locator('#progress-heading').textContent()).toMatch(chosen === 'ru' ? /декабрь 2026/ : /December 2026/);
    await dashboard.close();
    await options.close();
  });

  it('opens the side panel in the chosen language, and its document says so', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${server.url}/demo/index.php?module=Opportunities&action=index`);
    await page.locator('a[href*="module=Opportunities"][href*="action=DetailView"]').first().click();
    await page.waitForURL(/module=Opportunities&action=DetailView/);
    const panel = await extension.openPanel(page);
    await expect.poll(() => panel.evaluate(() => document.documentElement.lang)).toBe(chosen);
    await page.close();
  });

  it('notifies of an escalation addressed to the user in the chosen language', async () => {
    await extension.worker.evaluate(() => {
      const scope = globalThis as unknown as NotificationsGlobal;
      const notifications = scope.chrome.notifications;
      const create = notifications.create.bind(notifications);
      scope.headwayShown = [];
      notifications.create = (id, options) => {
        scope.headwayShown!.push(options.title);
        return create(id, options);
      };
    });
    const head = await getAs(server, await deviceToken(extension), '/api/me', User);
    const added = (await server.cli(['user', 'add', '--role', 'manager', '--name', 'Nina Ortiz', '--email', `nina.${chosen}@example.com`])) as { pairingCode: string };
    const paired = (await (await fetch(`${server.url}/api/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: added.pairingCode, deviceName: 'e2e' }) })).json()) as { token: string };
    const sent = await fetch(`${server.url}/api/escalations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${paired.token}` },
      body: JSON.stringify({ id: `e_reader_${chosen}`, category: 'approval', severity: 'high', title: 'Discount above 15 %', record: null, to: { userId: head.id } }),
    });
    expect(sent.status).toBe(201);

    // The popup asks the background what waits in the inbox; the background looks, and notifies of what is new.
    const popup = await extension.context.newPage();
    await popup.goto(`chrome-extension://${extension.extensionId}/popup.html`);
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe(chosen);
    const shown = () => extension.worker.evaluate(() => (globalThis as unknown as NotificationsGlobal).headwayShown ?? []);
    await expect.poll(shown, { timeout: 15_000 }).toEqual([t.escalation('noticeTitle', { severity: severityLabel('high', chosen) })]);
    await popup.close();
  });
});
