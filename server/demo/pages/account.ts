import type { DealsTable, DemoAccountsTable } from '../../store/tables';
import { formatAmount } from './format';
import { html } from '../../http/html';
import { page, type CrmFrame } from './layout';
import { opportunityHref } from './opportunity';

/** SuiteCRM 7 Accounts DetailView with its Opportunities subpanel. */
export function accountPage(account: DemoAccountsTable, deals: DealsTable[], frame: CrmFrame): string {
  const w = frame.words;
  const body = html`
<div class="breadcrumb">${w.tabs.Accounts} » ${account.name}</div>
<div class="moduleTitle">
  <h2 class="module-title-text">${account.name}</h2>
  <div class="buttons"><button>${w.edit}</button><button class="secondary">${w.duplicate}</button><button class="secondary">${w.actions}</button></div>
</div>
<div class="panel">
  <div class="tabs"><span class="active">${w.overview}</span><span>${w.moreInformation}</span></div>
  <div class="detail-grid">
    <div>
      <div class="detail-row"><div class="detail-label">${w.name}:</div><div class="detail-view-field" field="name">${account.name}</div></div>
      <div class="detail-row"><div class="detail-label">${w.industry}:</div><div class="detail-view-field" field="industry">${account.industry}</div></div>
      <div class="detail-row"><div class="detail-label">${w.officePhone}:</div><div class="detail-view-field" field="phone_office">${account.phone}</div></div>
    </div>
    <div>
      <div class="detail-row"><div class="detail-label">${w.billingCity}:</div><div class="detail-view-field" field="billing_address_city">${account.city}</div></div>
      <div class="detail-row"><div class="detail-label">${w.billingCountry}:</div><div class="detail-view-field" field="billing_address_country">${account.country}</div></div>
      <div class="detail-row"><div class="detail-label">${w.type}:</div><div class="detail-view-field" field="account_type">${w.customer}</div></div>
    </div>
  </div>
</div>
<div class="panel">
  <div class="panel-heading">${w.opportunities}</div>
  <table class="list"><tr><th>${w.name}</th><th>${w.salesStage}</th><th>${w.closeDate}</th><th>${w.amount}</th><th>${w.assignedUser}</th></tr>
  ${deals.map((deal) => html`<tr><td><a href="${opportunityHref(deal.crm_id)}">${deal.title}</a></td><td>${deal.stage}</td><td>${deal.expected_close}</td><td>${formatAmount(deal.amount, deal.currency, w)}</td><td>${deal.owner_label}</td></tr>`)}
  </table>
</div>`;
  return page(account.name, 'Accounts', body, frame);
}
