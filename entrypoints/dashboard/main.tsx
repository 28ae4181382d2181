import '../../extension/zod-jitless';
import { translator } from '../../core/i18n';
import { DashboardPage } from '../../components/Dashboard/DashboardPage';
import { dashboardMessages } from '../../components/Dashboard/i18n';
import { renderInLanguage } from '../../components/page-language';
import '../../components/Connection/pages.css';
import '../../components/Dashboard/dashboard.css';

renderInLanguage(<DashboardPage />, document.getElementById('app')!, (locale) => translator(dashboardMessages, locale)('pageTitle'));
