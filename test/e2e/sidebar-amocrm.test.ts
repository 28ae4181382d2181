import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { fixturesDir, pairAsHead, serveFixtures, sidebarText, type FixtureServer } from './fixtures/crm-fixtures';

// An amoCRM lead card (the saved page the adapter's unit test reads) served on a tenant the workspace declared:
// the side panel names the lead and what the card shows of it, in real Chromium.
const leadCard = readFileSync(join(fixturesDir, '../../fixtures/amocrm/lead.html'), 'utf8');

describe('amoCRM: the side panel on a lead card', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;
  let amo: FixtureServer;

  beforeAll(async () => {
    amo = await serveFixtures((url) => (url.pathname === '/leads/detail/15304587' ? leadCard : null));
    server = await startServer();
    await server.cli(['crm', 'add', amo.origin, 'amocrm']);
    extension = await launchWithExtension();
    await pairAsHead(extension, server);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
    await amo?.close();
  });

  it('shows the lead with its budget, status and responsible user', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${amo.origin}/leads/detail/15304587`);
    const panel = await extension.openPanel(page);
    await expect.poll(() => sidebarText(panel, 'record-title')).toBe('Поставка стеллажей для склада');
    expect(await panel.getByTestId('record-type').textContent()).toBe('Deal');
    const text = (await panel.getByTestId('sidebar-panel').textContent()) ?? '';
    expect(text).toContain('ID 15304587');
    expect(text).toMatch(/1,250,000|1 250 000/);
    expect(text).toContain('Переговоры');
    expect(text).toContain('Ирина Соколова');
    await page.close();
  });
});
