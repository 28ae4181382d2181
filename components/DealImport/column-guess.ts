import { ownerColumns, type DealColumn, type DealColumnMap } from '../../core/schema';

/** The fields the import dialog offers, in the order a head of sales thinks of a deal; the owner is chosen apart. */
export const dialogFields = ['crmId', 'title', 'amount', 'currency', 'status', 'closedAt', 'expectedClose', 'stage', 'kind', 'probability', 'segment', 'url'] as const satisfies readonly DealColumn[];
export type DialogField = (typeof dialogFields)[number];
export type OwnerField = (typeof ownerColumns)[number];

/**
 * Headers CRMs write for each field, squeezed (lower case, letters and digits only): "Opportunity ID", "close_value",
 * "Deal Stage" and "Sales Agent" as Salesforce, HubSpot, Pipedrive and common public exports name them, and the
 * Russian headers of a Bitrix24 or amoCRM export ("Название сделки", "Сумма", "Бюджет", "Стадия сделки",
 * "Ответственный"). A guess only fills the dialog's selects; the user sees and can change each.
 */
const synonyms: Record<DialogField | OwnerField, readonly string[]> = {
  crmId: ['crmid', 'id', 'dealid', 'opportunityid', 'recordid', 'leadid', 'recordidnumber', 'idсделки'],
  title: ['title', 'name', 'dealname', 'opportunityname', 'subject', 'deal', 'названиесделки', 'название', 'сделка'],
  amount: ['amount', 'value', 'dealvalue', 'closevalue', 'revenue', 'expectedrevenue', 'opportunityamount', 'sum', 'сумма', 'суммасделки', 'бюджет'],
  currency: ['currency', 'currencycode', 'currencyisocode', 'dealcurrency', 'валюта'],
  status: ['status', 'dealstatus', 'state', 'outcome', 'wonlost', 'статус', 'статуссделки'],
  closedAt: ['closedat', 'closedate', 'closedon', 'dateclosed', 'wondate', 'closetime', 'wontime', 'датазакрытия', 'датазакрытиясделки'],
  expectedClose: ['expectedclose', 'expectedclosedate', 'closingdate', 'expectedclosingdate', 'предполагаемаядатазакрытия', 'плановаядатазакрытия'],
  stage: ['stage', 'dealstage', 'salesstage', 'pipelinestage', 'stagename', 'этап', 'этапсделки', 'стадия', 'стадиясделки'],
  kind: ['kind', 'dealtype', 'type', 'типсделки', 'тип'],
  probability: ['probability', 'probabilitypct', 'winprobability', 'вероятность'],
  segment: ['segment', 'region', 'sector', 'territory', 'сегмент', 'регион'],
  url: ['url', 'link', 'dealurl', 'recordurl', 'ссылка'],
  ownerEmail: ['owneremail', 'email', 'salesrepemail', 'assignedtoemail', 'useremail'],
  ownerName: ['owner', 'ownername', 'salesagent', 'agent', 'salesperson', 'salesrep', 'rep', 'manager', 'assignedto', 'dealowner', 'opportunityowner', 'ответственный', 'менеджер'],
  ownerLabel: ['ownerid', 'ownerlabel', 'userid', 'assigneduserid'],
};

const squeeze = (header: string) => header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** The header a field most likely comes from: the first synonym any header squeezes to. */
function guess(headers: readonly string[], field: DialogField | OwnerField): string | undefined {
  const squeezed = headers.map(squeeze);
  for (const name of synonyms[field]) {
    const at = squeezed.indexOf(name);
    if (at >= 0) return headers[at];
  }
  return undefined;
}

export interface GuessedColumns {
  columns: DealColumnMap;
  /** Which owner field the owner column is read as, when one was found. */
  ownerField: OwnerField;
}

/**
 * A first mapping for a file's headers. A column that says won / lost ("deal_stage" with Won, Lost, Engaging) is
 * the status as well as the stage: the status's value map (filled after the first check) says which stages mean
 * won and lost.
 */
export function guessColumns(headers: readonly string[]): GuessedColumns {
  const columns: DealColumnMap = {};
  for (const field of dialogFields) {
    const header = guess(headers, field);
    if (header !== undefined) columns[field] = header;
  }
  if (columns.status === undefined && columns.stage !== undefined) columns.status = columns.stage;
  for (const ownerField of ownerColumns) {
    const header = guess(headers, ownerField);
    if (header !== undefined) return { columns: { ...columns, [ownerField]: header }, ownerField };
  }
  return { columns, ownerField: 'ownerName' };
}
