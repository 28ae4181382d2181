import '../../extension/zod-jitless';
import { translator } from '../../core/i18n';
import { EscalateWindow } from '../../components/Escalation/EscalateWindow';
import { escalationMessages } from '../../extension/escalation/i18n';
import { renderInLanguage } from '../../components/page-language';
import '../../components/Connection/pages.css';
import '../../components/Escalation/escalation.css';

renderInLanguage(<EscalateWindow id={new URLSearchParams(location.search).get('id') ?? ''} />, document.getElementById('app')!, (locale) => translator(escalationMessages, locale)('windowTitle'));
