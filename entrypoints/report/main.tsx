import '../../extension/zod-jitless';
import { render } from 'preact';
import { ReportPage } from '../../components/Escalation/ReportPage';
import '../../components/Connection/pages.css';
import '../../components/Escalation/escalation.css';

render(<ReportPage id={new URLSearchParams(location.search).get('id') ?? ''} />, document.getElementById('app')!);
