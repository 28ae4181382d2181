import type { DealsTable, DemoAccountsTable } from '../../store/tables';
import { formatAmount } from './format';
import { html } from '../../http/html';
import { page, type CrmFrame } from './layout';
import { accountHref, opportunityHref } from './opportunity';

/** SuiteCRM 7 Opportunities ListView: every demo deal with a link to its DetailView. */
export function opportunitiesListPage(deals: DealsTable[], accounts: Map<string, DemoAccountsTable>, frame: CrmFrame): string {
  const w = frame.words;
  const body = html`
<div class="moduleTitle"><h2 class="module-title-text">${w.opportunities}</h2>
<div class="buttons"><button>${w.createOpportunity}</button><button class="secondary">${w.import}</button></div></div>
<div class="panel">
<table class="list">
<tr><th></th><th>${w.name}</th><th>${w.accountName}</th><th>${w.salesStage}</th><th>${w.amount}</th><th>${w.close}</th><th>${w.user}</th></tr>
${deals.map((deal) => {
  const account = deal.account_crm_id ? accounts.get(deal.account_crm_id) : undefined;
  const badge = deal.status === 'open' ? '' : deal.status;
  return html`<tr><td><input type="checkbox" aria-label="${w.select}"></td>
<td><a href="${opportunityHref(deal.crm_id)}">${deal.title}</a></td>
<td>${account ? html`<a href="${accountHref(account.id)}">${account.name}</a>` : ''}</td>
<td><span class="badge ${badge}">${deal.stage}</span></td><td>${formatAmount(deal.amount, deal.currency, w)}</td>
<td>${deal.expected_close}</td><td>${deal.owner_label}</td></tr>`;
})}
</table></div>
<p class="muted">${w.shown.replaceAll('{count}', String(deals.length))}</p>`;
  return page(w.opportunities, 'Opportunities', body, frame);
}

export function accountsListPage(accounts: DemoAccountsTable[], frame: CrmFrame): string {
  const w = frame.words;
  const body = html`
<div class="moduleTitle"><h2 class="module-title-text">${w.tabs.Accounts}</h2></div>
<div class="panel"><table class="list"><tr><th>${w.name}</th><th>${w.city}</th><th>${w.country}</th><th>${w.phone}</th></tr>
${accounts.map((account) => html`<tr><td><a href="${accountHref(account.id)}">${account.name}</a></td><td>${account.city}</td><td>${account.country}</td><td>${account.phone}</td></tr>`)}
</table></div>`;
  return page(w.tabs.Accounts, 'Accounts', body, frame);
}

export function notFoundPage(message: string, frame: CrmFrame): string {
  const w = frame.words;
  return page(w.notFound, 'Home', html`<div class="panel"><div class="panel-heading">${w.error}</div><p style="padding:12px">${message}</p></div>`, frame);
}
