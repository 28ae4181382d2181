import { useRef } from 'preact/hooks';
import { useT } from '../locale';
import { filePickerMessages } from './i18n';

/**
 * A CSV file input with a button and the chosen file's name in the reader's language. The input itself stays,
 * out of sight but labelled (`label` names it for screen readers and tests), and the button opens it.
 */
export function CsvFilePicker(props: { id: string; label: string; chosen: string | null; onChoose: (event: Event) => void }) {
  const t = useT(filePickerMessages);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <span class="hw-file-pick">
        <input ref={input} id={props.id} class="hw-sr-only" type="file" accept=".csv,text/csv" tabIndex={-1} onChange={props.onChoose} />
        <button type="button" class="hw-button" aria-describedby={`${props.id}-chosen`} onClick={() => input.current?.click()}>
          {t('choose')}
        </button>
        <span id={`${props.id}-chosen`} class="hw-hint">{props.chosen ?? t('noFile')}</span>
      </span>
    </>
  );
}
