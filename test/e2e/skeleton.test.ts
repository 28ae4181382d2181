import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';

/** `chrome` as seen inside extension pages and the worker (these functions run there, not in Node). */
type ExtensionGlobal = { chrome: { storage: { local: { get(keys: string | null): Promise<Record<string, unknown>> } } } };

const WRONG_CODE_MESSAGE = 'This pairing code is wrong or has expired. Ask your admin for a new one.';

describe('Headway extension against a real server and the demo CRM', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  const pageErrors: string[] = [];
  /** The signed-in user's e-mail, as the server reported it after pairing. */
  let signedInEmail = '';

  beforeAll(async () => {
    server = await startServer();
    extension = await launchWithExtension();
    extension.context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`)));
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
  });

  const optionsUrl = () => `chrome-extension://${extension.extensionId}/options.html`;

  async function fillAndConnect(page: Page, code: string): Promise<void> {
    await page.getByLabel('Server URL').fill(server.url);
    await page.getByLabel('Pairing code').fill(code);
    await page.getByRole('button', { name: 'Connect' }).click();
  }

  const storedKeys = (page: Page) => page.evaluate(async () => Object.keys(await (globalThis as unknown as ExtensionGlobal).chrome.storage.local.get(null)));

  it('shows the server’s message for a wrong pairing code and stores nothing', async () => {
    const page = await extension.context.newPage();
    await page.goto(optionsUrl());
    await fillAndConnect(page, 'ZZZZ-9999');
    await expect.poll(() => page.getByTestId('connect-error').textContent()).toBe(WRONG_CODE_MESSAGE);
    expect(await storedKeys(page)).toEqual([]);
    await page.close();
  });

  it('says so, and stores nothing, when the server cannot be reached', async () => {
    const page = await extension.context.newPage();
    await page.goto(optionsUrl());
    await page.getByLabel('Server URL').fill('http://127.0.0.1:9');
    await page.getByLabel('Pairing code').fill(server.pairingCode);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByTestId('connect-error').textContent()).toContain('Can’t reach the Headway server at http://127.0.0.1:9');
    expect(await storedKeys(page)).toEqual([]);
    await page.close();
  });

  it('pairs with the code and shows who is signed in', async () => {
    const page = await extension.context.newPage();
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(optionsUrl());
    await fillAndConnect(page, server.pairingCode);
    const name = page.getByTestId('account-name');
    await name.waitFor();

    // The name shown is the server's user for the token the extension stored.
    const session = await extension.worker.evaluate(
      async () => (await (globalThis as unknown as ExtensionGlobal).chrome.storage.local.get('headway.session'))['headway.session'],
    );
    const token = (session as { token: string }).token;
    const me = (await (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { name: string; email: string };
    expect(await name.textContent()).toBe(me.name);
    expect(await page.getByTestId('account-email').textContent()).toBe(me.email);
    signedInEmail = me.email;
    expect(await page.getByTestId('account-server').textContent()).toBe(server.url);
    await expect.poll(() => page.getByTestId('connection-status').textContent()).toBe('Online');
    // The seeded workspace registers the server's own origin as a SuiteCRM instance; loopback is granted at install.
    await expect.poll(() => page.getByTestId('instance-list').textContent()).toContain(`${server.url}Access granted`);
    await shot(page, 'options.png');
    await page.close();

    const popup = await extension.context.newPage();
    await popup.goto(`chrome-extension://${extension.extensionId}/popup.html`);
    await expect.poll(() => popup.locator('main').textContent()).toContain(me.name);
    await expect.poll(() => popup.getByTestId('connection-status').textContent()).toBe('Online');
    await popup.close();
  });

  it('offers “Grant access” for a CRM instance the admin adds that this browser may not open yet', async () => {
    await server.cli(['crm', 'add', 'https://crm.acme.example', 'odoo']);
    const page = await extension.context.newPage();
    await page.goto(optionsUrl());
    // Opening the options page re-reads the workspace config.
    const acme = page.getByTestId('instance-list').locator('li', { hasText: 'https://crm.acme.example' });
    await acme.getByRole('button', { name: 'Grant access' }).waitFor();
    expect(await page.getByTestId('instance-list').locator('li', { hasText: server.url }).textContent()).toContain('Access granted');
    await page.close();
  });

  it('shows the demo deal in the side panel, follows the link to its account, and goes offline when the server stops', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${server.url}/demo/index.php?module=Opportunities&action=index`);
    await page.locator('a[href*="module=Opportunities"][href*="action=DetailView"]').first().click();
    await page.waitForURL(/module=Opportunities&action=DetailView/);

    const dealName = (await page.locator('h2.module-title-text').textContent())?.trim();
    expect(dealName).toBeTruthy();
    // A click on the record page opens the panel beside it: the browser's own side panel, not part of the page.
    const panel = await extension.openPanel(page);
    await expect.poll(() => panel.getByTestId('record-title').textContent()).toBe(dealName);
    expect(await panel.getByTestId('record-type').textContent()).toBe('Deal');
    await expect.poll(() => panel.getByTestId('sync-status').textContent()).toBe('Online · all saved');
    expect(await page.locator('headway-sidebar').count()).toBe(0);

    // The panel stays beside the tab as it loads the account page, and shows the account.
    await page.locator('a[href*="module=Accounts"][href*="action=DetailView"]').first().click();
    await page.waitForURL(/module=Accounts&action=DetailView/);
    const accountName = (await page.locator('h2.module-title-text').textContent())?.trim();
    expect(accountName).toBeTruthy();
    expect(accountName).not.toBe(dealName);
    await expect.poll(() => panel.getByTestId('record-title').textContent()).toBe(accountName);
    expect(await panel.getByTestId('record-type').textContent()).toBe('Account');

    // Single-page CRMs change records without a page load: the panel follows pushState and Back.
    const dealUrl = page.url().replace(/module=Accounts/, 'module=Opportunities');
    await page.evaluate((url) => history.pushState(null, '', url), dealUrl);
    await expect.poll(() => panel.getByTestId('record-type').textContent(), { timeout: 1000 }).toBe('Deal');
    await page.goBack();
    await expect.poll(() => panel.getByTestId('record-type').textContent(), { timeout: 1000 }).toBe('Account');

    // The admin revokes this device: the open panel notices within a heartbeat or two.
    await server.cli(['token', 'revoke', '--email', signedInEmail]);
    await expect.poll(() => panel.getByTestId('sync-status').textContent(), { timeout: 15_000 }).toBe('Signed out — connect again');

    await server.stop();
    await expect.poll(() => panel.getByTestId('sync-status').textContent(), { timeout: 15_000 }).toBe('Offline — changes wait here');
    await page.close();
  });

  it('disconnects even while the server is down, forgetting the token', async () => {
    const page = await extension.context.newPage();
    await page.goto(optionsUrl());
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByLabel('Pairing code').waitFor();
    // Nothing of the session is left: no token, no snapshot.
    expect((await storedKeys(page)).filter((key) => !key.startsWith('headway.escalations') && key !== 'headway.captured')).toEqual([]);
    await page.close();
  });

  it('raised no errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
