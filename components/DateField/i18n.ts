import { defineMessages } from '../../core/i18n';

/** A day field typed as the reader writes a date (DateField.tsx). */
export const dateFieldMessages = defineMessages(
  {
    pattern: 'd mmm yyyy',
    notADay: 'Not a day of the calendar: write it as {pattern}, such as 31 Dec 2026.',
  },
  {
    pattern: 'дд.мм.гггг',
    notADay: 'Такой даты нет: введите её в виде {pattern}, например 31.12.2026.',
  },
);
