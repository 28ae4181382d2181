import { useSignal } from '@preact/signals';
import { pathOf } from '../../core/api/route';
import { routes } from '../../core/api/routes';
import { useEffect, useRef } from 'preact/hooks';
import { adapterFor } from '../../core/crm';
import { CsvReader, CsvSyntaxError, csvHeaders } from '../../core/csv';
import type { Formats, Translate } from '../../core/i18n';
import {
  DealKind,
  DealStatus,
  type ImportRowError,
  ownerColumns,
  type CrmInstance,
  type DealColumn,
  type DealColumnMap,
  type DealImportMappingInput,
  type DealImportResult,
  type ImportPreviewField,
} from '../../core/schema';
import { API_PATH_LIMIT } from '../../extension/page-api';
import { CsvFilePicker } from '../Dashboard/CsvFilePicker';
import { importRefusal, RowErrors } from '../Dashboard/import-refusal';
import { sendAction } from '../Dashboard/server';
import { useFormats, useLocale, useT } from '../locale';
import { WithCommand } from '../WithCommand';
import { dialogFields, guessColumns, type DialogField, type OwnerField } from './column-guess';
import { oversizedFile } from './file-limit';
import { dealImportMessages } from './i18n';

type Words = Translate<typeof dealImportMessages.en>;

/** A field as the dialog names it. */
const labelOf = (field: DealColumn, t: Words): string =>
  (dialogFields as readonly string[]).includes(field) ? t(`field.${field as DialogField}`) : field.startsWith('owner') ? t('field.owner') : field;

/** A won/lost/open or sale/purchase value as the reader says it; the schema's value is what is sent. */
const valueLabel = (value: string, t: Words): string => ((choiceValues as readonly string[]).includes(value) ? t(`value.${value as ChoiceValue}`) : value);

/** Fields whose every value must be one of a few (the schema's own): the dialog lets each value of the file be mapped to one. */
const choices: Partial<Record<DealColumn, readonly string[]>> = { status: DealStatus.options, kind: DealKind.options };
type ChoiceField = 'status' | 'kind';
const isChoiceField = (field: DealColumn): field is ChoiceField => field in choices;
const choiceValues = [...DealStatus.options, ...DealKind.options];
type ChoiceValue = (typeof choiceValues)[number];

type Outcome =
  | { kind: 'checked'; report: DealImportResult }
  | { kind: 'imported'; report: DealImportResult }
  | { kind: 'refused'; message: string; rows: ImportRowError[] };

/** The header row of a CSV text: read like the server reads the file (core/csv), so the two never disagree. */
function headersOf(text: string): string[] {
  const reader = new CsvReader();
  const [header] = reader.push(text.slice(0, 64 * 1024));
  return csvHeaders(header ?? reader.end()[0]);
}

function counts(report: DealImportResult, t: Words, digits: Formats['digits']): string {
  const figures = { created: digits(report.created), updated: digits(report.updated), unchanged: digits(report.unchanged) };
  return t(report.unchanged > 0 ? 'countsNewUpdatedUnchanged' : 'countsNewUpdated', figures);
}

/**
 * Imports deals from a CRM's CSV export as it comes (issue 15 §3.15): the columns are guessed from the headers and
 * can be changed, a check (dry run) shows what each distinct value becomes, the values of "won / lost / open" and
 * "sale / purchase" are mapped right there, one currency can be given for the whole file, owners are matched by
 * name, e-mail or CRM id. Nothing is written until the check passes and the user imports, all or nothing — the
 * same mapping and rules as `deals import` on the command line.
 */
export function DealImportDialog({ instances, onClose, onImported }: { instances: readonly CrmInstance[]; onClose: () => void; onImported: () => void }) {
  const t = useT(dealImportMessages);
  const locale = useLocale();
  const { digits } = useFormats();
  const dialog = useRef<HTMLDialogElement>(null);
  const tenant = useSignal(0);
  const file = useSignal<{ name: string; text: string; headers: string[] } | null>(null);
  const columns = useSignal<DealColumnMap>({});
  const ownerField = useSignal<OwnerField>('ownerName');
  const ownerColumn = useSignal('');
  const values = useSignal<Partial<Record<ChoiceField, Record<string, string>>>>({});
  const currency = useSignal('');
  const kind = useSignal('');
  const busy = useSignal(false);
  const outcome = useSignal<Outcome | null>(null);
  /** The last check's preview: it stays while values are mapped in it, and goes when the columns change. */
  const preview = useSignal<ImportPreviewField[]>([]);
  const problem = useSignal<string | null>(null);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);

  // A check holds for the file and mapping it was made with; any change asks for a new one.
  const changed = () => {
    outcome.value = null;
    problem.value = null;
  };
  const remapped = () => {
    changed();
    preview.value = [];
  };
  const checkedOk = outcome.value?.kind === 'checked' && outcome.value.report.ok;

  async function choose(event: Event): Promise<void> {
    const chosen = (event.currentTarget as HTMLInputElement).files?.[0];
    remapped();
    file.value = null;
    if (!chosen) return;
    const tooLarge = oversizedFile(chosen, locale);
    if (tooLarge) {
      problem.value = tooLarge;
      return;
    }
    try {
      const text = await chosen.text();
      const headers = headersOf(text);
      const guessed = guessColumns(headers);
      const { ownerEmail: _e, ownerName: _n, ownerLabel: _l, ...rest } = guessed.columns;
      columns.value = rest;
      ownerField.value = guessed.ownerField;
      ownerColumn.value = guessed.columns[guessed.ownerField] ?? '';
      values.value = {};
      file.value = { name: chosen.name, text, headers };
    } catch (error) {
      problem.value = error instanceof CsvSyntaxError ? t('notCsv', { name: chosen.name, reason: error.message }) : t('unreadable', { name: chosen.name });
    }
  }

  function mapping(): DealImportMappingInput {
    const mapped: DealColumnMap = { ...columns.value };
    if (ownerColumn.value) mapped[ownerField.value] = ownerColumn.value;
    const constants: Partial<Record<DealColumn, string>> = {};
    if (!mapped.currency && currency.value.trim()) constants.currency = currency.value.trim().toUpperCase();
    if (!mapped.kind && kind.value) constants.kind = kind.value;
    const valueMaps = Object.fromEntries(Object.entries(values.value).filter(([field, map]) => mapped[field as DealColumn] !== undefined && Object.keys(map).length > 0));
    return { columns: mapped, values: valueMaps, constants };
  }

  async function run(dryRun: boolean): Promise<void> {
    const chosen = file.value;
    const instance = instances[tenant.value];
    if (!chosen || !instance) return;
    busy.value = true;
    problem.value = null;
    const path = pathOf(routes.importDeals, {}, { dryRun: dryRun ? '1' : '0', map: JSON.stringify(mapping()), crm: instance.crm, instance: instance.instance });
    if (path.length > API_PATH_LIMIT) {
      busy.value = false;
      problem.value = t('tooManyValues');
      return;
    }
    try {
      const report = await sendAction(routes.importDeals, path, chosen.text);
      outcome.value = { kind: dryRun ? 'checked' : 'imported', report };
      preview.value = report.preview;
      if (!dryRun) onImported();
    } catch (error) {
      const refusal = importRefusal(error);
      if (refusal.kind === 'rows') outcome.value = { kind: 'refused', message: refusal.message, rows: refusal.rows };
      else problem.value = refusal.message;
    } finally {
      busy.value = false;
    }
  }

  /** The user says what one value of a won/lost/open or sale/purchase column means; the other values keep theirs. */
  function chooseValue(preview: ImportPreviewField, field: ChoiceField, source: string, target: string): void {
    const map: Record<string, string> = {};
    for (const value of preview.values) {
      if (value.source === '') continue; // an empty cell leaves the field as it is, unless mapped on the CLI
      const current = value.source === source ? target : chosenFor(field, value.source, value.becomes);
      if (current) map[value.source] = current;
    }
    values.value = { ...values.value, [field]: map };
    changed();
  }

  function chosenFor(field: ChoiceField, source: string, becomes: string | null): string {
    const mapped = values.value[field]?.[source];
    if (mapped !== undefined) return mapped;
    return becomes !== null && choices[field]!.includes(becomes) ? becomes : '';
  }

  const shown = outcome.value;
  const headers = file.value?.headers ?? [];
  const columnSelect = (id: string, value: string, onChange: (header: string) => void, described?: string) => (
    <select id={id} value={value} aria-describedby={described} onChange={(event) => onChange((event.currentTarget as HTMLSelectElement).value)}>
      <option value="">{t('notInFile')}</option>
      {headers.map((header) => (
        <option key={header} value={header}>
          {header}
        </option>
      ))}
    </select>
  );

  return (
    <dialog ref={dialog} class="hw-dialog hw-dialog--wide" aria-labelledby="deal-import-heading" onClose={onClose} data-testid="deal-import-dialog">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run(!checkedOk);
        }}
      >
        <header class="hw-dialog-head">
          <div>
            <h2 id="deal-import-heading" class="hw-h2">
              {t('heading')}
            </h2>
            <p class="hw-hint">
              <WithCommand text={t('intro')} command="npm run server -- deals import" />
            </p>
          </div>
        </header>
        <div class="hw-dialog-body hw-dialog-form hw-field-group">
          {instances.length === 0 ? (
            <p class="hw-error" role="alert">
              <WithCommand text={t('noTenant')} command="npm run server -- crm add <origin> <crm>" />
            </p>
          ) : (
            <>
              <label for="deal-import-tenant">{t('dealsOf')}</label>
              <select
                id="deal-import-tenant"
                class="hw-deal-import-control"
                value={String(tenant.value)}
                onChange={(event) => {
                  tenant.value = Number((event.currentTarget as HTMLSelectElement).value);
                  remapped();
                }}
              >
                {instances.map((instance, index) => (
                  <option key={instance.instance} value={String(index)}>
                    {adapterFor(instance.crm)?.label ?? instance.crm} · {instance.instance}
                  </option>
                ))}
              </select>
              <CsvFilePicker id="deal-import-file" label={t('fileLabel')} chosen={file.value?.name ?? null} onChoose={(event) => void choose(event)} />
            </>
          )}
          {file.value ? (
            <fieldset class="hw-import-map" data-testid="deal-import-columns">
              <legend>{t('columnsOf', { name: file.value.name, count: digits(file.value.headers.length) })}</legend>
              {dialogFields.map((field) => (
                <div class="hw-import-map-row" key={field}>
                  <label for={`deal-import-column-${field}`}>{t(`field.${field}`)}</label>
                  {columnSelect(`deal-import-column-${field}`, columns.value[field] ?? '', (header) => {
                    const next = { ...columns.value };
                    if (header) next[field] = header;
                    else delete next[field];
                    columns.value = next;
                    remapped();
                  })}
                </div>
              ))}
              <div class="hw-import-map-row hw-import-map-row--wide">
                <label for="deal-import-owner">{t('field.owner')}</label>
                <span class="hw-import-owner">
                  {columnSelect('deal-import-owner', ownerColumn.value, (header) => {
                    ownerColumn.value = header;
                    remapped();
                  })}
                  <label class="hw-sr-only" for="deal-import-owner-by">
                    {t('ownersMatchedBy')}
                  </label>
                  <select
                    id="deal-import-owner-by"
                    value={ownerField.value}
                    onChange={(event) => {
                      ownerField.value = (event.currentTarget as HTMLSelectElement).value as OwnerField;
                      remapped();
                    }}
                  >
                    {ownerColumns.map((owner) => (
                      <option key={owner} value={owner}>
                        {t(`matchedBy.${owner}`)}
                      </option>
                    ))}
                  </select>
                </span>
              </div>
              {columns.value.currency ? null : (
                <div class="hw-import-map-row">
                  <label for="deal-import-every-currency">{t('everyAmountIn')}</label>
                  <input
                    id="deal-import-every-currency"
                    value={currency.value}
                    maxLength={3}
                    placeholder={t('currencyExample')}
                    autoComplete="off"
                    onInput={(event) => {
                      currency.value = (event.currentTarget as HTMLInputElement).value;
                      changed();
                    }}
                  />
                </div>
              )}
              {columns.value.kind ? null : (
                <div class="hw-import-map-row">
                  <label for="deal-import-every-kind">{t('everyDealIs')}</label>
                  <select
                    id="deal-import-every-kind"
                    value={kind.value}
                    onChange={(event) => {
                      kind.value = (event.currentTarget as HTMLSelectElement).value;
                      changed();
                    }}
                  >
                    <option value="">{t('saleByDefault')}</option>
                    {DealKind.options.map((value) => (
                      <option key={value} value={value}>
                        {t(`value.${value}`)}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </fieldset>
          ) : null}
          {problem.value ? (
            <p class="hw-error" role="alert">
              {problem.value}
            </p>
          ) : null}
          <div aria-live="polite" data-testid="deal-import-outcome">
            <Preview fields={preview.value} chosenFor={chosenFor} onChoose={chooseValue} t={t} digits={digits} />
            {shown?.kind === 'checked' ? <CheckSummary report={shown.report} t={t} digits={digits} /> : null}
            {shown?.kind === 'refused' ? (
              <div class="hw-error" role="alert">
                <p>{t('refused')}</p>
                <RowErrors rows={shown.rows} />
              </div>
            ) : null}
            {shown?.kind === 'imported' ? (
              <p class="hw-note" role="status" data-testid="deal-import-done">
                {t('imported', { name: file.value?.name ?? '', deals: t('importedDeals', { count: shown.report.rows, figure: digits(shown.report.rows) }), counts: counts(shown.report, t, digits) })}
              </p>
            ) : null}
          </div>
        </div>
        <footer class="hw-dialog-foot">
          <button type="button" class="hw-button hw-button--small" onClick={() => dialog.current?.close()}>
            {shown?.kind === 'imported' ? t('close') : t('cancel')}
          </button>
          {shown?.kind === 'imported' ? null : (
            <button type="submit" class="hw-button hw-button--primary hw-button--compact" disabled={busy.value || !file.value}>
              {busy.value ? t('working') : checkedOk ? t('import') : shown || preview.value.length > 0 ? t('checkAgain') : t('checkFile')}
            </button>
          )}
        </footer>
      </form>
    </dialog>
  );
}

function CheckSummary({ report, t, digits }: { report: DealImportResult; t: Words; digits: Formats['digits'] }) {
  if (report.ok) {
    const owners = report.unmatchedOwners.slice(0, 20).join(', ');
    const more = report.unmatchedOwners.length - 20;
    return (
      <div class="hw-note" role="status" data-testid="deal-import-checked">
        <p>{t('checked', { rows: t('checkedRows', { count: report.rows, figure: digits(report.rows) }), counts: counts(report, t, digits) })}</p>
        {report.unmatchedOwners.length > 0 ? <p>{more > 0 ? t('unmatchedOwnersMore', { owners, more: digits(more) }) : t('unmatchedOwners', { owners })}</p> : null}
      </div>
    );
  }
  const bad = report.errors.length + report.moreErrors;
  return (
    <div class="hw-error" role="alert" data-testid="deal-import-problems">
      <p>{report.fileProblem !== undefined ? t('fileProblem', { problem: report.fileProblem }) : t('rowsNeedFixing', { count: bad, figure: digits(bad), rows: digits(report.rows) })}</p>
      {report.fileProblem === undefined ? <RowErrors rows={report.errors.slice(0, 100)} more={bad - Math.min(100, report.errors.length)} /> : null}
    </div>
  );
}


/** What each distinct value of each mapped column becomes; a won/lost/open or sale/purchase value can be mapped here. */
function Preview({
  fields,
  chosenFor,
  onChoose,
  t,
  digits,
}: {
  t: Words;
  digits: Formats['digits'];
  fields: readonly ImportPreviewField[];
  chosenFor: (field: ChoiceField, source: string, becomes: string | null) => string;
  onChoose: (preview: ImportPreviewField, field: ChoiceField, source: string, target: string) => void;
}) {
  if (fields.length === 0) return null;
  return (
    <div class="hw-import-preview" data-testid="deal-import-preview">
      {fields.map((preview) => {
        const field = preview.field;
        return (
          <table class="hw-table" key={field} data-field={field}>
            <caption>
              {preview.column === null ? t('sameForEveryRow', { field: labelOf(field, t) }) : t('fromColumn', { field: labelOf(field, t), column: preview.column })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('inTheFile')}</th>
                <th scope="col">{t('becomes')}</th>
                <th scope="col">{t('rows')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.values.map((value) => {
                // A won/lost/open value the file writes otherwise ("Engaging") is read as written and refused by the
                // row check: it is marked here, where it can be mapped.
                const unchosen = isChoiceField(field) && value.source !== '' && value.becomes !== null && !choices[field]!.includes(value.becomes);
                return (
                <tr key={value.source} class={value.error || unchosen ? 'is-bad' : undefined}>
                  <th scope="row">{value.source === '' ? (preview.column === null ? '—' : t('emptyCell')) : value.source}</th>
                  <td>
                    {isChoiceField(field) && value.source !== '' && preview.column !== null ? (
                      <select
                        aria-label={t(`valueFor.${field}`, { value: value.source })}
                        value={chosenFor(field, value.source, value.becomes)}
                        onChange={(event) => onChoose(preview, field, value.source, (event.currentTarget as HTMLSelectElement).value)}
                      >
                        <option value="">{t('choose')}</option>
                        {choices[field]!.map((choice) => (
                          <option key={choice} value={choice}>
                            {valueLabel(choice, t)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      valueLabel(value.becomes ?? '', t)
                    )}
                    {value.error ? <span class="hw-import-bad"> {value.error}</span> : null}
                  </td>
                  <td>{digits(value.rows)}</td>
                </tr>
                );
              })}
              {preview.moreValues > 0 ? (
                <tr>
                  <td colSpan={3} class="hw-hint">
                    {t(isChoiceField(field) ? 'moreValuesOnCli' : 'moreValues', { count: digits(preview.moreValues) })}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}
