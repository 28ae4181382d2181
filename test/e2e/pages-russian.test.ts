import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatsFor } from '../../components/Dashboard/format';
import { LoadResponse, ProgressResponse } from '../../core/schema';
import { shot, launchWithExtension, startServer, type LaunchedExtension, type RunningServer } from './harness';
import { deviceToken, getAs, pairAsHead } from './fixtures/crm-fixtures';
import { openDemoDeal } from './notes-support';

const RU_DAY = /\d{1,2} (янв\.|февр\.|мар\.|апр\.|мая|июн\.|июл\.|авг\.|сент\.|окт\.|нояб\.|дек\.) \d{4}/;
const RU_MONEY = /^-?\d{1,3}(\u00a0\d{3})*(,\d+)?\u00a0(€|\$|£|₽|[A-Z]{3})$/;

// A head of sales whose browser speaks Russian: the dashboard, the escalate window and the inbox speak it too, and
// write figures and dates as Russian does (issue 17 §1). The English suites run with an English profile.
describe('the dashboard and the inbox in a Russian browser', () => {
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

  it('shows the dashboard’s plan progress in Russian, with the server’s figures in Russian formats', async () => {
    const dashboard = await extension.context.newPage();
    await dashboard.setViewportSize({ width: 1440, height: 900 });
    await dashboard.goto(`chrome-extension://${extension.extensionId}/dashboard.html`);
    expect(await dashboard.evaluate(() => [navigator.language, document.documentElement.lang, document.title])).toEqual(['ru-RU', 'ru', 'Headway · сводка отдела продаж']);
    await dashboard.getByTestId('progress-table').waitFor();
    expect(await dashboard.locator('.hw-dash-title').textContent()).toBe('Сводка');
    expect(await dashboard.locator('#progress-heading').textContent()).toMatch(/^Выполнение плана (январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь) \d{4}$/);
    expect(await dashboard.locator('.hw-seg-option').allTextContents()).toEqual(['Месяц', 'Квартал', 'Год', 'Продажи', 'Закупки']);
    expect(await dashboard.getByTestId('as-of').textContent()).toMatch(new RegExp(`^На ${RU_DAY.source} · прошло \\d+ из \\d+ рабочих дней`));

    // The headline is the server's figure, written as Russian writes money: "141 200 €".
    const progress = await getAs(server, await deviceToken(extension), '/api/progress?period=month&kind=sale', ProgressResponse);
    const format = formatsFor(progress.department.currency, 'ru');
    const actual = dashboard.getByTestId('summary-actual');
    expect(await actual.textContent()).toBe(format.money(progress.department.actual));
    expect(await actual.textContent()).toMatch(RU_MONEY);
    expect(await dashboard.getByTestId('summary-attainment').textContent()).toBe(format.percent(progress.department.attainmentPct));
    const head = await dashboard.locator('[data-testid="progress-table"] thead').textContent();
    expect(head).toContain('Менеджер');
    expect(head).toContain('Выполнение');
    expect(await dashboard.locator('tfoot th').first().textContent()).toBe('Отдел');

    // The load section: each status a Russian word, an absence dated as Russian writes a day and month.
    const load = await getAs(server, await deviceToken(extension), '/api/load', LoadResponse);
    await dashboard.getByTestId('load-table').locator('tbody tr').first().waitFor();
    expect(await dashboard.locator('#load-heading').textContent()).toBe('Нагрузка на сегодня');
    const over = load.managers.find((m) => m.status === 'over')!;
    const absent = load.managers.find((m) => m.status === 'absent')!;
    expect(await dashboard.locator(`tr[data-manager-id="${over.id}"]`).getByTestId('load-status').textContent()).toBe('Перегружен');
    expect(await dashboard.locator(`tr[data-manager-id="${absent.id}"]`).getByTestId('load-status').textContent()).toMatch(new RegExp(`^Отсутствует до ${RU_DAY.source.replace(/ \\d\{4\}$/, '')}$`));
    expect(await dashboard.locator('#moves-heading').textContent()).toMatch(/^Предлагаемые передачи сделок \d+$/);
    await shot(dashboard, 'dashboard-ru.png');

    // The deals import dialog: its words, the columns guessed from a Russian CRM export's headers, and the check.
    await dashboard.getByRole('button', { name: 'Импорт сделок…' }).click();
    const dialog = dashboard.getByTestId('deal-import-dialog');
    expect(await dialog.locator('#deal-import-heading').textContent()).toBe('Импорт сделок из CSV');
    const file = ['ID,Название сделки,Стадия сделки,Сумма,Валюта,Дата закрытия,Ответственный', 'B-1,ООО «Вектор» — поставка,Успешно,150000,RUB,2026-11-02,Кто-то Другой', 'B-2,АО «Север» — сервис,В работе,90000,RUB,,Кто-то Другой'].join('\n');
    await dialog.getByLabel('Файл сделок (CSV)').setInputFiles({ name: 'сделки.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    expect(await dialog.getByLabel('ID записи (обязательно)', { exact: true }).inputValue()).toBe('ID');
    expect(await dialog.getByLabel('Название сделки', { exact: true }).inputValue()).toBe('Название сделки');
    expect(await dialog.getByLabel('Исход сделки', { exact: true }).inputValue()).toBe('Стадия сделки');
    expect(await dialog.getByLabel('Ответственный', { exact: true }).inputValue()).toBe('Ответственный');
    await dialog.getByRole('button', { name: 'Проверить файл' }).click();
    const status = dialog.locator('table[data-field="status"]');
    await status.waitFor();
    expect(await status.locator('thead').textContent()).toBe('В файлеСтанетСтрок');
    await expect.poll(() => dialog.getByTestId('deal-import-problems').textContent()).toMatch(/^Нужно исправить 2 строки из 2; пока импортировать нельзя\./);
    await status.getByLabel('Исход для «Успешно»').selectOption('won');
    await status.getByLabel('Исход для «В работе»').selectOption('open');
    expect(await status.getByLabel('Исход для «Успешно»').locator('option:checked').textContent()).toBe('выиграна');
    await dialog.getByRole('button', { name: 'Проверить снова' }).click();
    await expect.poll(() => dialog.getByTestId('deal-import-checked').textContent()).toMatch(/^Проверено: 2 строки; новых 2, обновлено 0\. Пока вы не нажмёте «Импортировать», ничего не записывается\./);
    await shot(dashboard, 'dashboard-deals-import-ru.png');
    await dialog.getByRole('button', { name: 'Отмена' }).click();
  });

  it('escalates from the side panel, says so in Russian, and lists it in the inbox with Russian figures', async () => {
    const page = await extension.context.newPage();
    const { name, panel } = await openDemoDeal(page, server, extension);
    expect(await panel.getByTestId('add-note').textContent()).toBe('Добавить заметку');
    const button = panel.getByTestId('escalate');
    expect(await button.textContent()).toBe('Передать руководству');
    const [window] = await Promise.all([extension.context.waitForEvent('page', (opened) => opened.url().includes('/escalate.html')), button.click()]);
    await window.getByTestId('escalate-window').waitFor();
    expect(await window.locator('.hw-brand').textContent()).toBe('Передано · кому: Руководство');
    expect(await window.locator('label[for="hw-severity"]').textContent()).toBe('Важность');
    expect(await window.locator('#hw-severity option:checked').textContent()).toBe('Обычная');

    const inbox = await extension.context.newPage();
    await inbox.setViewportSize({ width: 1440, height: 900 });
    await inbox.goto(`chrome-extension://${extension.extensionId}/inbox.html`);
    expect(await inbox.locator('h1.hw-brand').textContent()).toBe('Обращения к руководству');
    expect(await inbox.getByTestId('box-inbox').textContent()).toBe('Мне');
    await inbox.getByTestId('box-sent').click();
    const item = inbox.getByTestId('inbox-item').filter({ hasText: name });
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    expect(await item.textContent()).toContain('Открыто');
    expect(await item.textContent()).toContain('кому: Руководство');
    await item.click();
    const readFacts = async (): Promise<Record<string, string>> =>
      Object.fromEntries(
        await inbox.getByTestId('detail-context').locator('div').evaluateAll((rows) => rows.map((row) => [row.querySelector('dt')!.textContent!, row.querySelector('dd')!.textContent!])),
      );
    // The detail is fetched after the click: wait for it rather than read an empty panel.
    await expect.poll(async () => (await readFacts())['Карточка'], { timeout: 15_000 }).toBe(name);
    const facts = await readFacts();
    if (facts['Сумма']) expect(facts['Сумма']).toMatch(RU_MONEY);
    if (facts['Плановое закрытие']) expect(facts['Плановое закрытие']).toMatch(new RegExp(`^${RU_DAY.source}$`));
    expect(await inbox.getByTestId('escalation-detail').locator('.hw-hint').first().textContent()).toMatch(new RegExp(`^От: .+ · кому: Руководство · ${RU_DAY.source}, \\d\\d:\\d\\d`));
    expect(await inbox.locator('h2.hw-card-title').allTextContents()).toEqual(['Обсуждение', 'Журнал действий']);
    await shot(inbox, 'inbox-ru.png');
  });
});
