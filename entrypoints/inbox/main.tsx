import '../../extension/zod-jitless';
import { render } from 'preact';
import { InboxPage } from '../../components/Escalation/InboxPage';
import '../../components/Connection/pages.css';
import '../../components/Escalation/escalation.css';

render(<InboxPage />, document.getElementById('app')!);
