import { describe, expect, it } from 'vitest';
import { oversizedFile } from '../../../components/DealImport/file-limit';
import { DealImportMapping } from '../../../core/schema';
import { guessColumns } from '../../../components/DealImport/column-guess';

describe('the deals import dialog’s first guess of a file’s columns', () => {
  it('reads a public CRM export (Maven Analytics’ sales pipeline): its stage column is the status too', () => {
    const guessed = guessColumns(['opportunity_id', 'sales_agent', 'product', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value']);
    expect(guessed).toEqual({
      columns: { crmId: 'opportunity_id', amount: 'close_value', status: 'deal_stage', stage: 'deal_stage', closedAt: 'close_date', ownerName: 'sales_agent' },
      ownerField: 'ownerName',
    });
    // The guess is a mapping the server accepts as it is.
    expect(DealImportMapping.safeParse({ columns: guessed.columns }).success).toBe(true);
  });

  it('reads Salesforce’s and HubSpot’s export headers, case and punctuation aside, and owners by e-mail first', () => {
    expect(guessColumns(['Opportunity ID', 'Opportunity Name', 'Amount', 'Currency ISO Code', 'Stage', 'Close Date', 'Owner Email', 'Opportunity Owner']).columns).toEqual({
      crmId: 'Opportunity ID', title: 'Opportunity Name', amount: 'Amount', currency: 'Currency ISO Code', stage: 'Stage', status: 'Stage', closedAt: 'Close Date', ownerEmail: 'Owner Email',
    });
    expect(guessColumns(['Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Close Date', 'Deal owner', 'Deal Type'])).toEqual({
      columns: { crmId: 'Record ID', title: 'Deal Name', stage: 'Deal Stage', status: 'Deal Stage', amount: 'Amount', closedAt: 'Close Date', kind: 'Deal Type', ownerName: 'Deal owner' },
      ownerField: 'ownerName',
    });
  });

  it('reads the Russian headers of a Bitrix24 or amoCRM export, the responsible manager as the owner', () => {
    expect(guessColumns(['ID', 'Название сделки', 'Стадия сделки', 'Сумма', 'Валюта', 'Предполагаемая дата закрытия', 'Ответственный'])).toEqual({
      columns: { crmId: 'ID', title: 'Название сделки', stage: 'Стадия сделки', status: 'Стадия сделки', amount: 'Сумма', currency: 'Валюта', expectedClose: 'Предполагаемая дата закрытия', ownerName: 'Ответственный' },
      ownerField: 'ownerName',
    });
    expect(guessColumns(['ID', 'Название', 'Бюджет', 'Этап сделки', 'Дата закрытия']).columns).toEqual({ crmId: 'ID', title: 'Название', amount: 'Бюджет', stage: 'Этап сделки', status: 'Этап сделки', closedAt: 'Дата закрытия' });
  });

  it('keeps a separate status column, and guesses nothing for headers it does not know', () => {
    expect(guessColumns(['Id', 'Status', 'Stage']).columns).toEqual({ crmId: 'Id', status: 'Status', stage: 'Stage' });
    expect(guessColumns(['Spalte A', 'Spalte B'])).toEqual({ columns: {}, ownerField: 'ownerName' });
  });
});

describe('a deals export too big for the dashboard', () => {
  it('is refused from its size alone, before it is read, with the way to import it instead', () => {
    expect(oversizedFile({ name: 'deals.csv', size: 32_000_000 })).toBeNull();
    expect(oversizedFile({ name: 'deals.csv', size: 2_147_483_648 })).toBe('deals.csv is 2,147.5 MB, over the 32 MB the dashboard takes. Import it with npm run server -- deals import (see the README).');
    expect(oversizedFile({ name: 'сделки.csv', size: 40_500_000 }, 'ru')).toBe('Файл сделки.csv весит 40,5 МБ — больше 32 МБ, которые принимает сводка. Загрузите его командой npm run server -- deals import (см. README).');
  });
});
