import type { DealsTable, DemoAccountsTable } from '../../store/tables';
import { html, type SafeHtml } from './html';
import { page } from './layout';
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
  if (deal.status === 'won') return 'Closed Won';
  if (deal.status === 'lost') return 'Closed Lost';
  return deal.stage ?? '';
}

/** SuiteCRM 7 Opportunities DetailView. Field names are the ones the SuiteCRM adapter reads. */
export function opportunityPage(deal: DealsTable, account: DemoAccountsTable | undefined): string {
  const accountLink = account ? html`<a href="${accountHref(account.id)}">${account.name}</a>` : '';
  const type = deal.kind === 'purchase' ? 'Purchase' : 'New Business';
  const body = html`
<div class="breadcrumb">Opportunities » ${deal.title}</div>
<div class="moduleTitle">
  <h2 class="module-title-text">${deal.title}</h2>
  <div class="buttons"><button>Edit</button><button class="secondary">Duplicate</button><button class="secondary">Delete</button><button class="secondary">Actions ▾</button></div>
</div>
<div class="panel">
  <div class="tabs"><span class="active">Overview</span><span>More information</span></div>
  <div class="detail-grid">
    <div>
      ${field('Opportunity Name', 'name', deal.title)}
      ${field('Account Name', 'account_name', accountLink)}
      ${field('Currency', 'currency_id', currencyName(deal.currency))}
      ${field('Opportunity Amount', 'amount', formatAmount(deal.amount, deal.currency))}
      ${field('Sales Stage', 'sales_stage', salesStage(deal))}
      ${field('Type', 'opportunity_type', type)}
    </div>
    <div>
      ${field('Expected Close Date', 'date_closed', deal.expected_close)}
      ${field('Probability (%)', 'probability', deal.probability)}
      ${field('Lead Source', 'lead_source', deal.kind === 'purchase' ? 'Supplier' : 'Existing Customer')}
      ${field('Next Step', 'next_step', deal.status === 'open' ? 'Follow-up call' : '')}
      ${field('Assigned to', 'assigned_user_name', deal.owner_label ?? '')}
      ${field('Date Modified', 'date_modified', deal.updated_at.slice(0, 16).replace('T', ' '))}
    </div>
  </div>
</div>
<div class="panel">
  <div class="panel-heading">Activities</div>
  <table class="list"><tr><th>Subject</th><th>Status</th><th>Due date</th><th>Assigned user</th></tr>
  <tr><td>Call: confirm budget and decision date</td><td>${deal.status === 'open' ? 'Planned' : 'Held'}</td><td>${deal.expected_close}</td><td>${deal.owner_label ?? ''}</td></tr>
  <tr><td>Meeting: product walk-through</td><td>Held</td><td></td><td>${deal.owner_label ?? ''}</td></tr></table>
</div>
<div class="panel">
  <div class="panel-heading">Contacts</div>
  <table class="list"><tr><th>Name</th><th>Account name</th><th>Role</th><th>Email</th></tr>
  <tr><td>Procurement desk</td><td>${account?.name ?? ''}</td><td>Primary Decision Maker</td><td class="muted">purchasing@example.com</td></tr></table>
</div>
<div class="panel"><div class="panel-heading">History</div><div class="detail-grid"><div class="muted">No data</div></div></div>`;
  return page(deal.title, 'Opportunities', body);
}
