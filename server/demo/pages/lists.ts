import type { DealsTable, DemoAccountsTable } from '../../store/tables';
import { formatAmount } from './format';
import { html } from './html';
import { page } from './layout';
import { accountHref, opportunityHref } from './opportunity';

/** SuiteCRM 7 Opportunities ListView: every demo deal with a link to its DetailView. */
export function opportunitiesListPage(deals: DealsTable[], accounts: Map<string, DemoAccountsTable>): string {
  const body = html`
<div class="moduleTitle"><h2 class="module-title-text">Opportunities</h2>
<div class="buttons"><button>Create opportunity</button><button class="secondary">Import</button></div></div>
<div class="panel">
<table class="list">
<tr><th></th><th>Name</th><th>Account name</th><th>Sales stage</th><th>Amount</th><th>Close</th><th>User</th></tr>
${deals.map((deal) => {
  const account = deal.account_crm_id ? accounts.get(deal.account_crm_id) : undefined;
  const badge = deal.status === 'open' ? '' : deal.status;
  return html`<tr><td><input type="checkbox" aria-label="select"></td>
<td><a href="${opportunityHref(deal.crm_id)}">${deal.title}</a></td>
<td>${account ? html`<a href="${accountHref(account.id)}">${account.name}</a>` : ''}</td>
<td><span class="badge ${badge}">${deal.stage}</span></td><td>${formatAmount(deal.amount, deal.currency)}</td>
<td>${deal.expected_close}</td><td>${deal.owner_label}</td></tr>`;
})}
</table></div>
<p class="muted">(1 - ${deals.length} of ${deals.length})</p>`;
  return page('Opportunities', 'Opportunities', body);
}

export function accountsListPage(accounts: DemoAccountsTable[]): string {
  const body = html`
<div class="moduleTitle"><h2 class="module-title-text">Accounts</h2></div>
<div class="panel"><table class="list"><tr><th>Name</th><th>City</th><th>Country</th><th>Phone</th></tr>
${accounts.map((account) => html`<tr><td><a href="${accountHref(account.id)}">${account.name}</a></td><td>${account.city}</td><td>${account.country}</td><td>${account.phone}</td></tr>`)}
</table></div>`;
  return page('Accounts', 'Accounts', body);
}

export function notFoundPage(message: string): string {
  return page('Not found', 'Home', html`<div class="panel"><div class="panel-heading">Error</div><p style="padding:12px">${message}</p></div>`);
}
