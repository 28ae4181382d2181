import type { DealFields } from '../../core/schema';
import type { PageView } from '../../extension/messages';
import { useFormats, useLocale, useT } from '../locale';
import { sidebarMessages } from './i18n';
import { recordTypeLabel } from './status';

/** The record on screen: what it is and what Headway could read of it. */
export function RecordCard({ view }: { view: PageView }) {
  const { detected, crmLabel, fields } = view;
  const t = useT(sidebarMessages);
  const locale = useLocale();
  if (view.disabledReason) {
    return (
      <section class="hw-section">
        <p class="hw-eyebrow">{crmLabel}</p>
        <p class="hw-note" data-testid="adapter-paused">
          {t('paused', { crm: crmLabel, reason: view.disabledReason })}
        </p>
      </section>
    );
  }
  if (!detected.recordType || !detected.id) {
    return (
      <section class="hw-section">
        <p class="hw-eyebrow">{crmLabel}</p>
        <p class="hw-note" data-testid="not-a-record">
          {t('notARecord', { crm: crmLabel })}
        </p>
      </section>
    );
  }
  return (
    <section class="hw-section">
      <p class="hw-eyebrow">
        {crmLabel} <span aria-hidden="true">·</span> <span data-testid="record-type">{recordTypeLabel(detected.recordType, locale)}</span>
      </p>
      {fields.title ? (
        <h2 class="hw-title" data-testid="record-title">{fields.title}</h2>
      ) : (
        <h2 class="hw-title hw-title--unknown" data-testid="record-title">{t('titleUnknown')}</h2>
      )}
      <p class="hw-id" title={detected.id}>{t('recordId', { id: detected.id })}</p>
      <FieldList fields={fields} />
    </section>
  );
}

function FieldList({ fields }: { fields: DealFields }) {
  const t = useT(sidebarMessages);
  const format = useFormats();
  const rows: [string, string][] = [];
  if (fields.amount !== undefined) rows.push([t('amount'), format.money(fields.amount, fields.currency)]);
  if (fields.stage) rows.push([t('stage'), fields.stage]);
  if (fields.probability !== undefined) rows.push([t('probability'), format.percent(fields.probability)]);
  if (fields.ownerLabel) rows.push([t('owner'), fields.ownerLabel]);
  if (fields.expectedClose) rows.push([t('expectedClose'), format.day(fields.expectedClose)]);
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
