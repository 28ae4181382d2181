import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { browser } from 'wxt/browser';
import { pickLocale } from '../../core/i18n';
import { readTypedDay, writeTypedDay } from '../../core/format/typed-day';
import { useLocale, useT } from '../locale';
import { dateFieldMessages } from './i18n';

/** The browser's own UI language, which its date field and calendar speak whatever the page's lang says. */
function browserUiLocale(): string {
  try {
    return browser.i18n.getUILanguage();
  } catch {
    return '';
  }
}

type Props = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'onChange' | 'type'> & {
  /** An ISO day, or '' for none. */
  value: string;
  /** Called with an ISO day, or '' when the field is emptied; never with text that is no day. */
  onValue: (iso: string) => void;
};

/**
 * A day field in the reader's language. Chromium's date field and its calendar follow the browser's UI language,
 * not the page's lang nor Headway's setting, so a head of sales who chose Russian in an English browser would read
 * and type mm/dd/yyyy. Nor does a Russian UI language guarantee dd.mm.yyyy: headless Chromium started with
 * --lang=ru still writes mm/dd/yyyy (its date format comes from the system's locale data). So a Russian reader
 * always gets a text field that takes the day as Russian writes it (31.12.2026) and says when it is no day; an
 * English reader keeps the browser's own field (and its calendar) where the browser speaks English, else ISO text.
 */
export function DateField({ value, onValue, ...rest }: Props) {
  const locale = useLocale();
  const t = useT(dateFieldMessages);
  const [text, setText] = useState(() => writeTypedDay(value, locale));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    if (readTypedDay(text, locale) !== value) setText(writeTypedDay(value, locale));
    // Only a value set from outside (Today, a reset) rewrites what the reader is typing.
  }, [value, locale]);
  if (locale === 'en' && pickLocale([browserUiLocale()]) === 'en') {
    return <input {...rest} type="date" value={value} onInput={(event) => onValue(event.currentTarget.value)} />;
  }
  return (
    <input
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={t('pattern')}
      title={bad ? t('notADay', { pattern: t('pattern') }) : undefined}
      aria-invalid={bad ? true : undefined}
      value={text}
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
