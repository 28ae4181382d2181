import { useSignal } from '@preact/signals';
import { pathOf } from '../../core/api/route';
import { routes } from '../../core/api/routes';
import { useEffect, useRef } from 'preact/hooks';
import type { DealKind, PeriodUnit, ScopeProgress } from '../../core/schema';
import { periodName } from '../Dashboard/format';
import { readServer, sendAction, ServerProblem } from '../Dashboard/server';
import { useLocale, useT } from '../locale';
import { planEditMessages } from './i18n';

export interface TargetEdit {
  /** null = the department's plan. */
  ownerId: string | null;
  who: string;
  unit: PeriodUnit;
  progress: ScopeProgress;
}

/**
 * Sets one scope's target for one period: creates the plan, or updates it against the version it was read at; or
 * deletes it, after a confirmation inside the dialog (the focus moves to "Keep the plan", so Enter never deletes).
 */
export function PlanTargetDialog({ edit, kind, onClose, onSaved }: { edit: TargetEdit; kind: DealKind; onClose: () => void; onSaved: () => void }) {
  const t = useT(planEditMessages);
  const locale = useLocale();
  const dialog = useRef<HTMLDialogElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const value = useSignal(edit.progress.planned ? String(edit.progress.target) : '');
  const busy = useSignal(false);
  const confirming = useSignal(false);
  const problem = useSignal<string | null>(null);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);
  // The focus follows the question: onto "Keep the plan" when asked, back onto "Delete plan…" when kept.
  const asked = useRef(false);
  useEffect(() => {
    if (confirming.value) keepButton.current?.focus();
    else if (asked.current) deleteButton.current?.focus();
    asked.current = confirming.value;
  }, [confirming.value]);

  const p = edit.progress;
  async function save(event: Event): Promise<void> {
    event.preventDefault();
    const target = Number(value.value);
    if (value.value.trim() === '' || !Number.isFinite(target)) {
      problem.value = t('enterNumber');
      return;
    }
    busy.value = true;
    problem.value = null;
    try {
      if (p.planId) {
        const { plans } = await readServer(routes.plans, { period: edit.unit, kind, start: p.period.start });
        const plan = plans.find((candidate) => candidate.id === p.planId);
        if (!plan) throw new Error(t('deletedMeanwhile'));
        await sendAction(routes.updatePlan, pathOf(routes.updatePlan, { id: plan.id }), {
          kind: plan.kind,
          period: plan.period,
          start: plan.start,
          ownerId: plan.ownerId,
          target,
          currency: plan.currency,
          countTarget: plan.countTarget,
          baseVersion: plan.version,
        });
      } else {
        await sendAction(routes.createPlan, pathOf(routes.createPlan), { kind, period: edit.unit, start: p.period.start, ownerId: edit.ownerId, target, currency: p.currency, countTarget: null });
      }
      onSaved();
      dialog.current?.close();
    } catch (error) {
      problem.value = error instanceof Error ? error.message : String(error);
    } finally {
      busy.value = false;
    }
  }

  async function remove(): Promise<void> {
    if (!p.planId) return;
    busy.value = true;
    problem.value = null;
    try {
      await sendAction(routes.deletePlan, pathOf(routes.deletePlan, { id: p.planId }), {});
      onSaved();
      dialog.current?.close();
    } catch (error) {
      const gone = error instanceof ServerProblem && error.status === 404;
      problem.value = gone ? t('deletedMeanwhile') : error instanceof Error ? error.message : String(error);
      confirming.value = false;
    } finally {
      busy.value = false;
    }
  }

  const period = periodName(edit.unit, p.period, locale);
  const deleteQuestion = edit.ownerId === null ? t(`deleteDepartment.${kind satisfies DealKind}`, { period }) : t(`delete.${kind}`, { who: edit.who, period });

  return (
    <dialog ref={dialog} class="hw-dialog hw-dialog--small" aria-labelledby="target-title" onClose={onClose} data-testid="target-dialog">
      <form noValidate onSubmit={(event) => void save(event)}>
        <header class="hw-dialog-head">
          <div>
            <h2 id="target-title" class="hw-h2">
              {t(`title.${kind}`, { who: edit.who })}
            </h2>
            <p class="hw-hint">{period}</p>
          </div>
        </header>
        <div class="hw-dialog-form hw-field-group">
          <label for="target-input">{t('targetLabel', { currency: p.currency })}</label>
          <input
            id="target-input"
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            value={value.value}
            onInput={(event) => (value.value = (event.currentTarget as HTMLInputElement).value)}
            aria-invalid={problem.value ? 'true' : undefined}
            aria-describedby={problem.value ? 'target-problem' : undefined}
          />
          {problem.value ? (
            <p id="target-problem" class="hw-error" role="alert">
              {problem.value}
            </p>
          ) : null}
        </div>
        {confirming.value ? (
          <div class="hw-confirm" role="group" aria-labelledby="delete-question" data-testid="delete-confirm">
            <p id="delete-question">
              {deleteQuestion}
            </p>
            <div class="hw-confirm-actions">
              <button
                ref={keepButton}
                type="button"
                class="hw-button hw-button--small"
                onClick={() => (confirming.value = false)}
              >
                {t('keep')}
              </button>
              <button type="button" class="hw-button hw-button--danger hw-button--compact" disabled={busy.value} onClick={() => void remove()}>
                {t(busy.value ? 'deleting' : 'deletePlan')}
              </button>
            </div>
          </div>
        ) : null}
        <footer class="hw-dialog-foot">
          {p.planId && !confirming.value ? (
            <button ref={deleteButton} type="button" class="hw-button hw-button--danger hw-button--compact hw-foot-start" disabled={busy.value} onClick={() => (confirming.value = true)}>
              {t('deletePlanAsk')}
            </button>
          ) : null}
          <button type="button" class="hw-button hw-button--small" onClick={() => dialog.current?.close()}>
            {t('cancel')}
          </button>
          <button type="submit" class="hw-button hw-button--primary hw-button--compact" disabled={busy.value || confirming.value}>
            {t(busy.value && !confirming.value ? 'saving' : 'save')}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
