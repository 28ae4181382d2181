import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { readTypedDay, writeTypedDay } from '../../core/format/typed-day';
import { dayNumber, isoDate } from '../../core/plan/calendar';
import { useLocale, useT } from '../locale';
import { dateFieldMessages } from './i18n';

type Props = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'onChange' | 'type'> & {
  /** An ISO day, or '' for none. */
  value: string;
  /** Called with an ISO day, or '' when the field is emptied; never with text that is no day. */
  onValue: (iso: string) => void;
};

/** Arrow keys step the day as the browser's own date field does; Page keys by a week. */
const STEPS: Record<string, number> = { ArrowUp: 1, ArrowDown: -1, PageUp: 7, PageDown: -7 };

/**
 * A day field in the reader's language, written as every page writes a day (core/format/typed-day.ts). Chromium's
 * date field and its calendar follow the browser's UI language and the system's locale, not the page's lang nor
 * Headway's setting: a Russian reader in an English browser read mm/dd/yyyy, and so did a British reader in a
 * browser set to American English, beside "7 Dec 2026" everywhere else. So every reader gets a text field that
 * takes the day as their language writes it (31.12.2026, 7 Dec 2026), says when it is no day, and steps it with
 * the arrow keys.
 */
export function DateField({ value, onValue, onKeyDown, ...rest }: Props) {
  const locale = useLocale();
  const t = useT(dateFieldMessages);
  const [text, setText] = useState(() => writeTypedDay(value, locale));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    if (readTypedDay(text, locale) !== value) setText(writeTypedDay(value, locale));
    // Only a value set from outside (Today, a reset) rewrites what the reader is typing.
  }, [value, locale]);
  return (
    <input
      {...rest}
      type="text"
      inputMode={locale === 'ru' ? 'numeric' : 'text'}
      autoComplete="off"
      placeholder={t('pattern')}
      title={bad ? t('notADay', { pattern: t('pattern') }) : undefined}
      aria-invalid={bad ? true : rest['aria-invalid']}
      value={text}
      onKeyDown={(event) => {
        onKeyDown?.(event);
        const step = STEPS[event.key];
        const day = readTypedDay(text, locale);
        if (step === undefined || event.altKey || event.ctrlKey || event.metaKey || !day) return;
        event.preventDefault();
        const next = isoDate(dayNumber(day) + step);
        setText(writeTypedDay(next, locale));
        setBad(false);
        onValue(next);
      }}
      onInput={(event) => {
        const typed = event.currentTarget.value;
        setText(typed);
        const iso = readTypedDay(typed, locale);
        setBad(iso === null);
        if (iso !== null) onValue(iso);
      }}
    />
  );
}
