import '../../extension/zod-jitless';
import { translator } from '../../core/i18n';
import { connectionMessages } from '../../components/Connection/i18n';
import { OptionsPage } from '../../components/Connection/OptionsPage';
import { renderInLanguage } from '../../components/page-language';
import '../../components/Connection/pages.css';

renderInLanguage(<OptionsPage />, document.getElementById('app')!, (locale) => translator(connectionMessages, locale)('settingsTitle'));
