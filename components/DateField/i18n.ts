import { defineMessages } from '../../core/i18n';

/** A day field typed as the reader writes a date (DateField.tsx). */
export const dateFieldMessages = defineMessages(
  {
    pattern: 'yyyy-mm-dd',
    notADay: 'Not a day of the calendar: write it as {pattern}.',
  },
  {
    pattern: 'дд.мм.гггг',
    notADay: 'Такой даты нет: введите её в виде {pattern}.',
  },
);
