import { defineMessages } from '../../core/i18n';

/** The deals import dialog's words (so far: choosing the file; the rest of the dialog is still English). */
export const dealImportMessages = defineMessages(
  {
    tooLarge: '{name} is {size} MB, over the 32 MB the dashboard takes. Import it with npm run server -- deals import (see the README).',
    notCsv: '{name} cannot be read as CSV: {reason}.',
    unreadable: '{name} could not be read.',
  },
  {
    tooLarge: 'Файл {name} весит {size} МБ — больше 32 МБ, которые принимает сводка. Загрузите его командой npm run server -- deals import (см. README).',
    notCsv: 'Файл {name} не читается как CSV: {reason}.',
    unreadable: 'Не удалось прочитать файл {name}.',
  },
);
