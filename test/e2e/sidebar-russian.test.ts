import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatsOf } from '../../core/i18n';
import { shot, launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { pairAsHead } from './fixtures/crm-fixtures';
import { openDemoDeal } from './notes-support';

// A head of sales whose browser speaks Russian: the side panel speaks it too, and writes figures and dates as
// Russian does (issue 17 §1). Notes and escalation from the panel are read in pages-russian.test.ts.
describe('the side panel in a Russian browser', () => {
  let server: RunningServer;
  let extension: LaunchedExtension;

  beforeAll(async () => {
    server = await startServer(undefined, { locale: 'ru' });
    extension = await launchWithExtension({ lang: 'ru-RU' });
    await pairAsHead(extension, server);
  });

  afterAll(async () => {
    await extension?.close();
    server?.cleanup();
  });

  it('names the record, its fields, the signed-in role and the sync state in Russian, with Russian figures', async () => {
    const page = await extension.context.newPage();
    const { panel } = await openDemoDeal(page, server, extension);
    expect(await panel.evaluate(() => navigator.language)).toMatch(/^ru/);
    expect(await panel.getByTestId('record-type').textContent()).toBe('Сделка');
    await expect.poll(() => panel.getByTestId('sync-status').textContent()).toBe('На связи · всё сохранено');
    expect(await panel.locator('.hw-user-role').textContent()).toBe('Руководитель отдела продаж');
    const fields = Object.fromEntries(
      await panel.locator('.hw-fields .hw-field').evaluateAll((rows) => rows.map((row) => [row.querySelector('dt')!.textContent!, row.querySelector('dd')!.textContent!])),
    );
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['Сумма', 'Этап']));
    // "141 200 €": no-break spaces, the symbol after the figure.
    expect(fields['Сумма']).toMatch(/^\d{1,3}(\u00a0\d{3})*\u00a0(€|\$|£|₽|[A-Z]{3})$/);
    if (fields['Плановое закрытие']) expect(fields['Плановое закрытие']).toMatch(/^\d{1,2} (янв\.|февр\.|мар\.|апр\.|мая|июн\.|июл\.|авг\.|сент\.|окт\.|нояб\.|дек\.) \d{4}$/);
    expect(formatsOf('ru').money(141_200, 'EUR')).toBe('141\u00a0200\u00a0€');
    // Owner, load and plan lines are worded in the background, in the browser's language too.
    await expect.poll(() => panel.getByTestId('owner-load').locator('.hw-eyebrow').textContent(), { timeout: 10_000 }).toBe('Ответственный и загрузка');
    await expect.poll(() => panel.getByTestId('progress-plan').textContent()).toMatch(/^План отдела · (продажи|закупки)$/);
    expect(await panel.locator('.hw-bar-label').allTextContents()).toEqual(expect.arrayContaining(['Месяц']));
    await shot(panel, 'sidebar-demo-deal-ru.png');
  });
});
