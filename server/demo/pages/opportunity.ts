import type { DealsTable, DemoAccountsTable } from '../../store/tables';
import { html, type SafeHtml } from '../../http/html';
import { page, type CrmFrame } from './layout';
import { currencyName, formatAmount } from './format';

export function accountHref(id: string): string {
  return `/demo/index.php?module=Accounts&action=DetailView&record=${encodeURIComponent(id)}`;
}

export function opportunityHref(crmId: string): string {
  return `/demo/index.php?module=Opportunities&action=DetailView&record=${encodeURIComponent(crmId)}`;
}

function field(label: string, name: string, value: SafeHtml | string | number | null): SafeHtml {
  return html`<div class="detail-row"><div class="detail-label">${label}:</div><div class="detail-view-field" field="${name}">${value}</div></div>`;
}

function salesStage(deal: DealsTable): string {
  // The stage keys SuiteCRM stores; the adapter and the connector read them in every language.
  if (deal.status === 'won') return 'Closed Won';
  if (deal.status === 'lost') return 'Closed Lost';
  return deal.stage ?? '';
}

/** SuiteCRM 7 Opportunities DetailView. Field names are the ones the SuiteCRM adapter reads. */
export function opportunityPage(deal: DealsTable, account: DemoAccountsTable | undefined, frame: CrmFrame): string {
  const w = frame.words;
  const accountLink = account ? html`<a href="${accountHref(account.id)}">${account.name}</a>` : '';
  const type = deal.kind === 'purchase' ? w.purchase : w.newBusiness;
  const body = html`
<div class="breadcrumb">${w.opportunities} » ${deal.title}</div>
<div class="moduleTitle">
  <h2 class="module-title-text">${deal.title}</h2>
  <div class="buttons"><button>${w.edit}</button><button class="secondary">${w.duplicate}</button><button class="secondary">${w.delete}</button><button class="secondary">${w.actions}</button></div>
</div>
<div class="panel">
  <div class="tabs"><span class="active">${w.overview}</span><span>${w.moreInformation}</span></div>
  <div class="detail-grid">
    <div>
      ${field(w.opportunityName, 'name', deal.title)}
      ${field(w.opportunityAccount, 'account_name', accountLink)}
      ${field(w.currency, 'currency_id', currencyName(deal.currency, w))}
      ${field(w.opportunityAmount, 'amount', formatAmount(deal.amount, deal.currency, w))}
      ${field(w.salesStageField, 'sales_stage', salesStage(deal))}
      ${field(w.type, 'opportunity_type', type)}
    </div>
    <div>
      ${field(w.expectedClose, 'date_closed', deal.expected_close)}
      ${field(w.probability, 'probability', deal.probability)}
      ${field(w.leadSource, 'lead_source', deal.kind === 'purchase' ? w.supplier : w.existingCustomer)}
      ${field(w.nextStep, 'next_step', deal.status === 'open' ? w.followUpCall : '')}
      ${field(w.assignedTo, 'assigned_user_name', deal.owner_label ?? '')}
      ${field(w.dateModified, 'date_modified', deal.updated_at.slice(0, 16).replace('T', ' '))}
    </div>
  </div>
</div>
<div class="panel">
  <div class="panel-heading">${w.activities}</div>
  <table class="list"><tr><th>${w.subject}</th><th>${w.status}</th><th>${w.dueDate}</th><th>${w.assignedUser}</th></tr>
  <tr><td>${w.callConfirm}</td><td>${deal.status === 'open' ? w.planned : w.held}</td><td>${deal.expected_close}</td><td>${deal.owner_label ?? ''}</td></tr>
  <tr><td>${w.meetingWalkthrough}</td><td>${w.held}</td><td></td><td>${deal.owner_label ?? ''}</td></tr></table>
</div>
<div class="panel">
  <div class="panel-heading">${w.contacts}</div>
  <table class="list"><tr><th>${w.name}</th><th>${w.accountName}</th><th>${w.role}</th><th>${w.email}</th></tr>
  <tr><td>${w.procurementDesk}</td><td>${account?.name ?? ''}</td><td>${w.decisionMaker}</td><td class="muted">purchasing@example.com</td></tr></table>
</div>
<div class="panel"><div class="panel-heading">${w.history}</div><div class="detail-grid"><div class="muted">${w.noData}</div></div></div>`;
  return page(deal.title, 'Opportunities', body, frame);
}
