import { useSignal } from '@preact/signals';
import { pathOf } from '../../core/api/route';
import { routes } from '../../core/api/routes';
import { useEffect, useRef } from 'preact/hooks';
import { planCsvColumns, type ImportResult, type ImportRowError, type ReplacedPlan } from '../../core/schema';
import { translator, type Locale } from '../../core/i18n';
import { formatDate, formatsFor } from '../Dashboard/format';
import { importRefusal, RowErrors } from '../Dashboard/import-refusal';
import { sendAction } from '../Dashboard/server';
import { useLocale, useT } from '../locale';
import { planEditMessages, planMessages } from './i18n';
import { CsvFilePicker } from '../Dashboard/CsvFilePicker';

/** What the dialog shows after a check or an import. */
type Outcome =
  | { kind: 'checked'; report: ImportResult }
  | { kind: 'imported'; report: ImportResult }
  | { kind: 'refused'; message: string; rows: ImportRowError[] };

/** "2 new, 1 replaced" / "новых: 2, заменено: 1": what a check or an import did to the plans. */
function counts(report: ImportResult, locale: Locale): string {
  const t = translator(planEditMessages, locale);
  const parts = [t('count.new', { count: report.created })];
  if (report.updated > 0 || report.replaced) parts.push(t('count.replaced', { count: report.updated }));
  if (report.unchanged > 0) parts.push(t('count.unchanged', { count: report.unchanged }));
  return parts.join(', ');
}

function ReplacedList({ replaced, names }: { replaced: readonly ReplacedPlan[]; names: ReadonlyMap<string, string> }) {
  const t = useT(planEditMessages);
  const department = useT(planMessages)('department');
  const locale = useLocale();
  const money = (amount: number, currency: string) => formatsFor(currency, locale).money(amount);
  if (replaced.length === 0) return null;
  return (
    <div class="hw-import-list">
      <p class="hw-excluded-title">{t('replacesTitle')}</p>
      <ul data-testid="import-replaced">
        {replaced.map((row) => {
          const who = row.previous.ownerId === null ? department : (names.get(row.previous.ownerId) ?? row.previous.ownerId);
          return (
            <li key={row.previous.id}>
              {t('replacedLine', {
                line: row.line,
                who,
                kind: t(`kind.${row.previous.kind}`),
                period: translator(planMessages, locale)(`unit.${row.previous.period}`),
                start: formatDate(row.previous.start, locale),
                before: money(row.previous.target, row.previous.currency),
                after: money(row.target, row.currency),
              })}
            </li>
          );
        })}
      </ul>
    </div>
  );
}


/**
 * Imports plans from a CSV: check first (a dry run that lists every bad row and every plan it would replace), then
 * import, all or nothing. Replacing existing plans is an explicit choice; without it a plan for a scope and period
 * that already has one is a bad row.
 */
export function PlanImportDialog({ names, onClose, onImported }: { names: ReadonlyMap<string, string>; onClose: () => void; onImported: () => void }) {
  const t = useT(planEditMessages);
  const locale = useLocale();
  const dialog = useRef<HTMLDialogElement>(null);
  const file = useSignal<{ name: string; text: string } | null>(null);
  const replace = useSignal(false);
  const busy = useSignal(false);
  const outcome = useSignal<Outcome | null>(null);
  const problem = useSignal<string | null>(null);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);

  // A check holds for the file and the option it was made with; changing either asks for a new one.
  const checkedOk = outcome.value?.kind === 'checked' && outcome.value.report.ok;

  async function choose(event: Event): Promise<void> {
    const chosen = (event.currentTarget as HTMLInputElement).files?.[0];
    outcome.value = null;
    problem.value = null;
    file.value = chosen ? { name: chosen.name, text: await chosen.text() } : null;
  }

  async function run(dryRun: boolean): Promise<void> {
    if (!file.value) {
      problem.value = t('chooseFirst');
      return;
    }
    busy.value = true;
    problem.value = null;
    try {
      const report = await sendAction(routes.importPlans, pathOf(routes.importPlans, {}, { dryRun: dryRun ? 1 : 0, replace: replace.value ? 1 : undefined }), file.value.text);
      outcome.value = { kind: dryRun ? 'checked' : 'imported', report };
      if (!dryRun) onImported();
    } catch (error) {
      const refusal = importRefusal(error);
      if (refusal.kind === 'rows') outcome.value = { kind: 'refused', message: refusal.message, rows: refusal.rows };
      else problem.value = refusal.message;
    } finally {
      busy.value = false;
    }
  }

  const shown = outcome.value;
  return (
    <dialog ref={dialog} class="hw-dialog hw-dialog--medium" aria-labelledby="import-title" onClose={onClose} data-testid="import-dialog">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run(!checkedOk);
        }}
      >
        <header class="hw-dialog-head">
          <div>
            <h2 id="import-title" class="hw-h2">
              {t('importTitle')}
            </h2>
            <p class="hw-hint">
              {t('columns', { columns: planCsvColumns.join(', ') })}
            </p>
          </div>
        </header>
        <div class="hw-dialog-form hw-field-group">
          <CsvFilePicker id="import-file" label={t('fileLabel')} chosen={file.value?.name ?? null} onChoose={(event) => void choose(event)} />
          <label class="hw-check">
            <input
              type="checkbox"
              checked={replace.value}
              onChange={(event) => {
                replace.value = (event.currentTarget as HTMLInputElement).checked;
                outcome.value = null;
              }}
              aria-describedby="replace-hint"
            />
            {t('replaceLabel')}
          </label>
          <p id="replace-hint" class="hw-hint">
            {t('replaceHint')}
          </p>
          {problem.value ? (
            <p class="hw-error" role="alert">
              {problem.value}
            </p>
          ) : null}
          <div aria-live="polite" data-testid="import-outcome">
            {shown?.kind === 'checked' && shown.report.ok ? (
              <div class="hw-note" role="status">
                <p>
                  {t('checked', { count: shown.report.rows, counts: counts(shown.report, locale) })}
                </p>
                <ReplacedList replaced={shown.report.replaced ?? []} names={names} />
              </div>
            ) : null}
            {shown?.kind === 'checked' && !shown.report.ok ? (
              <div class="hw-error" role="alert">
                <p>
                  {t('needFixing', { count: shown.report.errors.length })}
                </p>
                <RowErrors rows={shown.report.errors} />
              </div>
            ) : null}
            {shown?.kind === 'refused' ? (
              <div class="hw-error" role="alert">
                <p>{t('refused')}</p>
                <RowErrors rows={shown.rows} />
              </div>
            ) : null}
            {shown?.kind === 'imported' ? (
              <p class="hw-note" role="status">
                {t('imported', { file: file.value?.name ?? '', counts: counts(shown.report, locale) })}
              </p>
            ) : null}
          </div>
        </div>
        <footer class="hw-dialog-foot">
          <button type="button" class="hw-button hw-button--small" onClick={() => dialog.current?.close()}>
            {t(shown?.kind === 'imported' ? 'close' : 'cancel')}
          </button>
          {shown?.kind === 'imported' ? null : (
            <button type="submit" class="hw-button hw-button--primary hw-button--compact" disabled={busy.value || !file.value}>
              {t(busy.value ? 'working' : checkedOk ? 'import' : 'check')}
            </button>
          )}
        </footer>
      </form>
    </dialog>
  );
}
