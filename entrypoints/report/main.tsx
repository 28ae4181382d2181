import '../../extension/zod-jitless';
import { translator } from '../../core/i18n';
import { inboxMessages } from '../../extension/escalation/i18n';
import { ReportPage } from '../../components/Escalation/ReportPage';
import { renderInLanguage } from '../../components/page-language';
import '../../components/Connection/pages.css';
import '../../components/Escalation/escalation.css';

renderInLanguage(<ReportPage id={new URLSearchParams(location.search).get('id') ?? ''} />, document.getElementById('app')!, (locale) => translator(inboxMessages, locale)('reportTitle'));
