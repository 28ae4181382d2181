import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { RecordRef } from '../../core/schema';
import type { NoteView } from '../../core/sync/records';
import type { FieldProblem } from '../../extension/sync/messages';
import { newNoteId, saveNote } from '../../extension/sync/notes-client';
import { clearDraft, draftKey, loadDraft, saveDraft } from './draft';
import { useLocale, useT } from '../locale';
import { EMPTY_FORM, fieldLabel, fromNote, problemText, toContent, type NoteFormValues } from './form-model';
import { notesMessages } from '../../extension/sync/i18n';
import { DateField } from '../DateField/DateField';

export interface NoteFormProps {
  record: RecordRef | null;
  recordTitle: string | null;
  /** Draft key for a page that is not a record. */
  pageKey: string;
  /** The record's currency as the page shows it: the price is taken to be in it. */
  currency: string | null;
  /** The note being edited; absent for a new note. */
  editing?: NoteView;
  onSaved: (note: NoteView) => void;
  onClose: () => void;
}

type TextField = Exclude<keyof NoteFormValues, 'side'>;
const LONG: TextField[] = ['text', 'asked', 'offered', 'objections'];

/**
 * The capture form, bound to the record on screen. Ctrl+Enter (⌘+Enter) saves, Esc closes and keeps the draft.
 * The save is the outbox write in the background; the network is never waited for.
 */
export function NoteForm({ record, recordTitle, pageKey, currency, editing, onSaved, onClose }: NoteFormProps) {
  const locale = useLocale();
  const t = useT(notesMessages);
  const key = draftKey(record, pageKey);
  const [values, setValues] = useState<NoteFormValues>(editing ? fromNote(editing) : EMPTY_FORM);
  const [id, setId] = useState(editing?.id ?? newNoteId());
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saving, setSaving] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const touched = useRef(false);

  useEffect(() => {
    // The whole form in view from its top, not just its first field at the panel's bottom edge.
    form.current?.scrollIntoView?.({ block: 'start' });
    first.current?.focus({ preventScroll: true });
    if (editing) return;
    // A draft left on this record comes back, unless the user started typing before it loaded.
    void loadDraft(browser.storage.local, key).then((draft) => {
      if (draft && !touched.current) {
        setValues(draft.values);
        setId(draft.id);
      }
    });
  }, [key]);

  function update(next: NoteFormValues): void {
    touched.current = true;
    setValues(next);
    if (!editing) void saveDraft(browser.storage.local, key, { id, values: next }).catch(() => undefined);
  }

  async function submit(): Promise<void> {
    if (saving) return;
    const { content, problems: local } = toContent(values, locale);
    if (local.length > 0) return setProblems(local);
    setSaving(true);
    try {
      const result = await saveNote(browser, { id, baseVersion: editing?.version, record, recordTitle, content });
      if (!result.ok) return setProblems(result.problems);
      if (!editing) await clearDraft(browser.storage.local, key).catch(() => undefined);
      onSaved(result.note);
    } catch (error) {
      setProblems([{ field: 'form', message: error instanceof Error ? error.message : String(error) }]);
    } finally {
      setSaving(false);
    }
  }

  function cancel(): void {
    if (!editing) void clearDraft(browser.storage.local, key).catch(() => undefined);
    onClose();
  }

  function onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  }

  const formHeading = (heading: string) => (recordTitle ? t('formFor', { heading, title: recordTitle }) : record ? heading : t('formNotTied', { heading }));
  const problemFor = (field: string) => problems.find((problem) => problem.field === field);
  const field = (name: TextField, type = 'text') => {
    const problem = problemFor(name);
    const props = {
      id: `hw-note-${name}`,
      value: values[name],
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': problem ? `hw-note-${name}-problem` : undefined,
      onInput: (event: Event) => update({ ...values, [name]: (event.currentTarget as HTMLInputElement).value }),
    };
    return (
      <div class="hw-form-field" key={name}>
        <label for={props.id}>{name === 'price' && currency ? t('priceIn', { currency }) : fieldLabel(name, locale)}</label>
        {LONG.includes(name) ? (
          <textarea rows={name === 'text' ? 3 : 2} {...props} />
        ) : type === 'date' ? (
          <DateField id={props.id} value={props.value} aria-invalid={props['aria-invalid']} aria-describedby={props['aria-describedby']} onValue={(iso) => update({ ...values, [name]: iso })} />
        ) : (
          <input type={type} inputMode={type === 'text' && (name === 'price' || name === 'discountPct') ? 'decimal' : undefined} {...props} />
        )}
        {problem ? <p class="hw-problem" id={`hw-note-${name}-problem`}>{problem.message}</p> : null}
      </div>
    );
  };

  return (
    <form
      ref={form}
      class="hw-note-form"
      data-testid="note-form"
      aria-label={editing ? t('editNote') : t('newNote')}
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p class="hw-eyebrow">{formHeading(editing ? t('editNote') : t('newNote'))}</p>
      <fieldset class="hw-side">
        <legend>{fieldLabel('side', locale)}</legend>
        {(['buyer', 'seller'] as const).map((side, index) => (
          <label key={side}>
            <input
              ref={index === 0 ? first : undefined}
              type="radio"
              name="hw-note-side"
              value={side}
              checked={values.side === side}
              onChange={() => update({ ...values, side })}
            />
            {t(side)}
          </label>
        ))}
      </fieldset>
      {field('contact')}
      {field('text')}
      {field('asked')}
      {field('offered')}
      <div class="hw-form-row">
        {field('price')}
        {field('discountPct')}
      </div>
      {field('objections')}
      {field('nextStep')}
      {field('nextStepDate', 'date')}
      {problems.length > 0 ? (
        <div class="hw-problems" role="alert" data-testid="note-problems">
          {problems.map((problem) => (
            <p key={`${problem.field}:${problem.message}`}>{problemText(problem, locale)}</p>
          ))}
        </div>
      ) : null}
      <div class="hw-form-actions">
        <button type="submit" class="hw-button hw-button--primary" disabled={saving}>
          {t('save')} <span class="hw-kbd">Ctrl+Enter</span>
        </button>
        <button type="button" class="hw-button" title={t('cancelTitle')} onClick={cancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
