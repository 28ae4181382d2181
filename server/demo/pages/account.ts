import type { DealsTable, DemoAccountsTable } from '../../store/tables';
import { formatAmount } from './format';
import { html } from './html';
import { page } from './layout';
import { opportunityHref } from './opportunity';

/** SuiteCRM 7 Accounts DetailView with its Opportunities subpanel. */
export function accountPage(account: DemoAccountsTable, deals: DealsTable[]): string {
  const body = html`
<div class="breadcrumb">Accounts » ${account.name}</div>
<div class="moduleTitle">
  <h2 class="module-title-text">${account.name}</h2>
  <div class="buttons"><button>Edit</button><button class="secondary">Duplicate</button><button class="secondary">Actions ▾</button></div>
</div>
<div class="panel">
  <div class="tabs"><span class="active">Overview</span><span>More information</span></div>
  <div class="detail-grid">
    <div>
      <div class="detail-row"><div class="detail-label">Name:</div><div class="detail-view-field" field="name">${account.name}</div></div>
      <div class="detail-row"><div class="detail-label">Industry:</div><div class="detail-view-field" field="industry">${account.industry}</div></div>
      <div class="detail-row"><div class="detail-label">Office Phone:</div><div class="detail-view-field" field="phone_office">${account.phone}</div></div>
    </div>
    <div>
      <div class="detail-row"><div class="detail-label">Billing City:</div><div class="detail-view-field" field="billing_address_city">${account.city}</div></div>
      <div class="detail-row"><div class="detail-label">Billing Country:</div><div class="detail-view-field" field="billing_address_country">${account.country}</div></div>
      <div class="detail-row"><div class="detail-label">Type:</div><div class="detail-view-field" field="account_type">Customer</div></div>
    </div>
  </div>
</div>
<div class="panel">
  <div class="panel-heading">Opportunities</div>
  <table class="list"><tr><th>Name</th><th>Sales stage</th><th>Close date</th><th>Amount</th><th>Assigned user</th></tr>
  ${deals.map((deal) => html`<tr><td><a href="${opportunityHref(deal.crm_id)}">${deal.title}</a></td><td>${deal.stage}</td><td>${deal.expected_close}</td><td>${formatAmount(deal.amount, deal.currency)}</td><td>${deal.owner_label}</td></tr>`)}
  </table>
</div>`;
  return page(account.name, 'Accounts', body);
}
