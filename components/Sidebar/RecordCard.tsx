import type { DealFields } from '../../core/schema';
import { formatDay } from '../../core/format/date-time';
import { formatMoney } from '../../core/format/money';
import type { PageView } from '../../extension/messages';
import { recordTypeLabel } from './status';

/** The record on screen: what it is and what Headway could read of it. */
export function RecordCard({ view }: { view: PageView }) {
  const { detected, crmLabel, fields } = view;
  if (view.disabledReason) {
    return (
      <section class="hw-section">
        <p class="hw-eyebrow">{crmLabel}</p>
        <p class="hw-note" data-testid="adapter-paused">
          Headway is paused on {crmLabel} by your admin: {view.disabledReason}
        </p>
      </section>
    );
  }
  if (!detected.recordType || !detected.id) {
    return (
      <section class="hw-section">
        <p class="hw-eyebrow">{crmLabel}</p>
        <p class="hw-note" data-testid="not-a-record">
          This {crmLabel} page is not a record. Open a deal, account, contact or lead to see it here.
        </p>
      </section>
    );
  }
  return (
    <section class="hw-section">
      <p class="hw-eyebrow">
        {crmLabel} <span aria-hidden="true">·</span> <span data-testid="record-type">{recordTypeLabel(detected.recordType)}</span>
      </p>
      {fields.title ? (
        <h2 class="hw-title" data-testid="record-title">{fields.title}</h2>
      ) : (
        <h2 class="hw-title hw-title--unknown" data-testid="record-title">Title not shown on this page</h2>
      )}
      <p class="hw-id" title={detected.id}>ID {detected.id}</p>
      <FieldList fields={fields} />
    </section>
  );
}

function FieldList({ fields }: { fields: DealFields }) {
  const rows: [string, string][] = [];
  if (fields.amount !== undefined) rows.push(['Amount', formatMoney(fields.amount, fields.currency)]);
  if (fields.stage) rows.push(['Stage', fields.stage]);
  if (fields.probability !== undefined) rows.push(['Probability', `${fields.probability} %`]);
  if (fields.ownerLabel) rows.push(['Owner', fields.ownerLabel]);
  if (fields.expectedClose) rows.push(['Expected close', formatDay(fields.expectedClose)]);
  if (rows.length === 0) return null;
  return (
    <dl class="hw-fields">
      {rows.map(([label, value]) => (
        <div class="hw-field" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
