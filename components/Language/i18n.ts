import { defineMessages } from '../../core/i18n';

/** The options page's language control. Each language names itself, as language pickers do. */
export const languageMessages = defineMessages(
  {
    heading: 'Language',
    label: 'Headway speaks',
    browser: 'Browser default ({language})',
    hint: 'Your choice follows you to every browser you connect, and the server writes your reports and e-mails in it.',
    saving: 'Saving…',
  },
  {
    heading: 'Язык',
    label: 'Язык Headway',
    browser: 'Как в браузере ({language})',
    hint: 'Выбор действует во всех браузерах, которые вы подключите; на этом же языке сервер пишет вам отчёты и письма.',
    saving: 'Сохраняем…',
  },
);

/** Each language's own name for itself: the same in every catalogue, so it is not translated. */
export const LANGUAGE_NAMES = { en: 'English', ru: 'Русский' } as const;
