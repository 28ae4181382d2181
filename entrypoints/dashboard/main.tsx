import '../../extension/zod-jitless';
import { render } from 'preact';
import { DashboardPage } from '../../components/Dashboard/DashboardPage';
import '../../components/Connection/pages.css';
import '../../components/Dashboard/dashboard.css';

render(<DashboardPage />, document.getElementById('app')!);
