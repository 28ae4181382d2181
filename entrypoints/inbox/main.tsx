import '../../extension/zod-jitless';
import { translator } from '../../core/i18n';
import { inboxMessages } from '../../extension/escalation/i18n';
import { InboxPage } from '../../components/Escalation/InboxPage';
import { renderInLanguage } from '../../components/page-language';
import '../../components/Connection/pages.css';
import '../../components/Escalation/escalation.css';

renderInLanguage(<InboxPage />, document.getElementById('app')!, (locale) => translator(inboxMessages, locale)('pageTitle'));
