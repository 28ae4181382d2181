import { defineMessages } from '../../core/i18n';

/**
 * What a page or the side panel says when the background does not answer, or answers in a shape it cannot read:
 * small and apart from extension/i18n.ts, because the side panel's first paint carries it.
 */
export const backgroundSilenceMessages = defineMessages(
  {
    silentExtension: 'Headway’s background is not answering. Reload the extension or the browser.',
    silentPage: 'Headway’s background is not answering. Reload the page.',
    unexpected: 'Headway’s background answered something unexpected. Reload the extension.',
    noteNotDeleted: 'The note could not be deleted.',
  },
  {
    silentExtension: 'Фоновая часть Headway не отвечает. Перезагрузите расширение или браузер.',
    silentPage: 'Фоновая часть Headway не отвечает. Обновите страницу.',
    unexpected: 'Фоновая часть Headway ответила непонятно. Перезагрузите расширение.',
    noteNotDeleted: 'Не удалось удалить заметку.',
  },
);
