import { defineMessages } from '../../core/i18n';

/** The dashboard's frame: its header, toolbar and the words every figure on it shares (periods, pace). */
export const dashboardMessages = defineMessages(
  {
    pageTitle: 'Headway dashboard',
    connectingToHeadway: 'Connecting to Headway…',
    connectFirst: 'Connect Headway first',
    notAccepted: 'The server no longer accepts this browser. Connect again with a new pairing code.',
    connectLead: 'The dashboard shows your team’s plans and load from your Headway server. Connect this browser to it in the settings.',
    openSettings: 'Open settings',
    heading: 'Dashboard',
    period: 'Period',
    month: 'Month',
    quarter: 'Quarter',
    year: 'Year',
    salesOrPurchases: 'Sales or purchases',
    sale: 'Sales',
    purchase: 'Purchases',
    periodContaining: 'Plan period containing',
    dateHint: 'Leave empty for today. Load and moves always show today.',
    today: 'Today',
    refresh: 'Refresh',
    ahead: '{amount} ahead',
    behind: '{amount} behind',
    onPace: 'on pace',
    noPlan: 'no plan',
    monthName: '{month} {year}',
    quarterName: '{from} – {to} {year}',
    fiscalYear: 'FY {start}/{end}',
  },
  {
    pageTitle: 'Headway · сводка отдела продаж',
    connectingToHeadway: 'Подключаемся к Headway…',
    connectFirst: 'Сначала подключите Headway',
    notAccepted: 'Сервер больше не принимает этот браузер. Подключитесь заново с новым кодом подключения.',
    connectLead: 'Сводка показывает планы и загрузку вашей команды с сервера Headway. Подключите к нему этот браузер в настройках.',
    openSettings: 'Открыть настройки',
    heading: 'Сводка',
    period: 'Период',
    month: 'Месяц',
    quarter: 'Квартал',
    year: 'Год',
    salesOrPurchases: 'Продажи или закупки',
    sale: 'Продажи',
    purchase: 'Закупки',
    periodContaining: 'Плановый период, включающий дату',
    dateHint: 'Оставьте пустым для сегодняшнего дня. Загрузка и передачи сделок всегда показываются на сегодня.',
    today: 'Сегодня',
    refresh: 'Обновить',
    ahead: 'опережение {amount}',
    behind: 'отставание {amount}',
    onPace: 'в темпе',
    noPlan: 'нет плана',
    monthName: '{month} {year}',
    quarterName: '{from} – {to} {year}',
    fiscalYear: 'фин. год {start}/{end}',
  },
);

/** The CRM-of-record card: is each CRM read, when last, what failed, whose deals count for no one. */
export const crmConnectionMessages = defineMessages(
  {
    heading: 'CRM of record',
    importDeals: 'Import deals…',
    loadFailed: 'The CRM connections could not be loaded: {error}',
    none: 'No CRM is connected: deals come only from CRM pages people open and from imports, so deals nobody opened are missing from the plan. An admin connects one with {command} (see the README, “Connect a CRM’s API”).',
    cardLabel: '{crm} at {origin}',
    syncingNow: 'Syncing now',
    lastSynced: 'Last synced {time}',
    notSynced: 'Not synced yet',
    deals: { one: '{deals} deal', other: '{deals} deals' },
    pendingWriteBacks: '{count} waiting to be written to {crm}',
    lastFailed: 'Last sync failed {time}: {error}',
    failedWriteBacks: {
      one: '{count} note or move could not be written to {crm} yet; Headway retries, and each note says why in the sidebar.',
      other: '{count} notes or moves could not be written to {crm} yet; Headway retries, and each note says why in the sidebar.',
    },
    unmapped: {
      one: 'Deals owned by this CRM user count for no one here: add them as Headway users with the same e-mail ({command}).',
      other: 'Deals owned by these CRM users count for no one here: add them as Headway users with the same e-mail ({command}).',
    },
    noEmail: '(no e-mail in the CRM)',
  },
  {
    heading: 'CRM — источник сделок',
    importDeals: 'Импорт сделок…',
    loadFailed: 'Не удалось получить подключения к CRM: {error}',
    none: 'CRM не подключена: сделки попадают в Headway только со страниц CRM, которые открывают сотрудники, и из импорта, поэтому сделок, которые никто не открывал, в плане нет. Администратор подключает CRM командой {command} (см. README, раздел «Connect a CRM’s API»).',
    cardLabel: '{crm} на {origin}',
    syncingNow: 'Идёт синхронизация',
    lastSynced: 'Последняя синхронизация {time}',
    notSynced: 'Ещё не синхронизировано',
    deals: { one: '{deals} сделка', few: '{deals} сделки', many: '{deals} сделок', other: '{deals} сделки' },
    pendingWriteBacks: 'ждут записи в {crm}: {count}',
    lastFailed: 'Синхронизация {time} не удалась: {error}',
    failedWriteBacks: {
      one: '{count} заметку или передачу сделки пока не удалось записать в {crm}; Headway повторит попытку, причина указана у заметки в боковой панели.',
      few: '{count} заметки или передачи сделок пока не удалось записать в {crm}; Headway повторит попытку, причина указана у каждой заметки в боковой панели.',
      many: '{count} заметок или передач сделок пока не удалось записать в {crm}; Headway повторит попытку, причина указана у каждой заметки в боковой панели.',
      other: '{count} заметки или передачи сделок пока не удалось записать в {crm}; Headway повторит попытку, причина указана у каждой заметки в боковой панели.',
    },
    unmapped: {
      one: 'Сделки этого пользователя CRM не засчитываются никому в Headway: добавьте его как пользователя Headway с тем же e-mail ({command}).',
      few: 'Сделки этих пользователей CRM не засчитываются никому в Headway: добавьте их как пользователей Headway с тем же e-mail ({command}).',
      many: 'Сделки этих пользователей CRM не засчитываются никому в Headway: добавьте их как пользователей Headway с тем же e-mail ({command}).',
      other: 'Сделки этих пользователей CRM не засчитываются никому в Headway: добавьте их как пользователей Headway с тем же e-mail ({command}).',
    },
    noEmail: '(в CRM нет e-mail)',
  },
);

/** A refused import's bad rows (plans and deals alike); each reason is the server's, shown as sent. */
export const rowErrorMessages = defineMessages(
  {
    line: 'Line {line}:',
    more: '… and {more} more',
  },
  {
    line: 'Строка {line}:',
    more: '… и ещё {more}',
  },
);

/**
 * The file picker of the import dialogs: a browser's own file input speaks the browser's language ("Choose File",
 * "No file chosen"), so the dialogs show this button and the chosen file's name instead.
 */
export const filePickerMessages = defineMessages(
  {
    choose: 'Choose file…',
    noFile: 'No file chosen',
  },
  {
    choose: 'Выбрать файл…',
    noFile: 'Файл не выбран',
  },
);
